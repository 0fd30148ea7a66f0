package io.turnout.controlplane.routes;

import io.turnout.controlplane.cluster.RouteStateStore;
import io.turnout.controlplane.audit.AuditLog;
import io.turnout.controlplane.audit.ClusterAudit;
import io.turnout.controlplane.CommandRefusal;
import io.turnout.dataplane.observability.NodeMetrics;
import io.turnout.controlplane.probes.ActivationGuard;
import io.turnout.controlplane.probes.EvidenceStore;
import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The node's route control plane, the one writer of the {@link RouteTable}, wired: operators',
 * gates' and drills' {@link RouteCommand}s ({@link RouteCommandHandler}), route map file edits
 * ({@link RouteFileWatcher} into {@link RouteMapApplier}), expiry, and the cluster's shared state
 * ({@link ClusterRouteState}). Changes run strictly one after another on this verticle's context,
 * each after the previous one's audit write. One instance per node.
 */
public final class RouteControlVerticle extends VerticleBase {

  /** Published (cluster-wide) when a member changed the shared route state: {@code {revision, node}}. */
  public static final String STATE_ADDRESS = ClusterRouteState.STATE_ADDRESS;
  /** Published when a member applies a revision: {@code {node, revision}}. */
  public static final String MEMBER_APPLIED_ADDRESS = ClusterRouteState.MEMBER_APPLIED_ADDRESS;

  private final RouteTable routes;
  private final RouteControlSettings config;
  private final AuditLog audit;
  private final String nodeId;
  private final Clock clock;
  private final NodeMetrics metrics;
  private RouteStateStore store;
  private ClusterRouteState state;
  private RouteCommandHandler handler;
  private RouteFileWatcher watcher;
  private Future<?> queue = Future.succeededFuture();
  private final java.util.List<Long> timers = new java.util.ArrayList<>();

  public RouteControlVerticle(RouteTable routes, RouteControlSettings config, AuditLog audit, String nodeId, Clock clock,
      NodeMetrics metrics) {
    this.routes = routes;
    this.config = config;
    this.audit = audit;
    this.nodeId = nodeId;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    RoutingOptions options = config.routing();
    Path file = config.confDir().resolve(options.file());
    RouteMapReader reader = config.reader();
    store = new RouteStateStore(vertx, nodeId);
    long memberTtlMs = Math.max(10_000, 5 * options.expiryCheckMs());
    // The shared text holds the file (JSON-escaped, so up to twice as long) and the pointers.
    StartingRoutes start = config.start();
    state = new ClusterRouteState(vertx, routes, audit, store, config.adoptionReader(), nodeId, clock, start.text(),
        2 * options.maxFileBytes() + 256 * 1024, memberTtlMs, config.peersFirst());
    ActivationGuard activation = new ActivationGuard(new EvidenceStore(vertx, nodeId, config.probes().evidenceDir()));
    RouteProbeGuard guard = new RouteProbeGuard(config.probes().required(), activation::check);
    RouteMapApplier applier = new RouteMapApplier(routes, file.toString(), state, guard, this::publish, nodeId, clock,
        start.previous(), text -> vertx.executeBlocking(() -> {
          config.applied().write(text);
          return null;
        }));
    // Also without watching: the file as read at start is one edit, applied once this member joined.
    watcher = new RouteFileWatcher(vertx, file, options.maxFileBytes(), reader,
        (text, map) -> enqueue(() -> applier.receive(text, map)), rejected -> {
          metrics.configRejected();
          publish(RouteEvents.rejected(rejected.file(), rejected.path(), rejected.reason(), nodeId, clock.instant()));
        }, clock, start.fileText());
    RouteFileEdits edits = new RouteFileEdits(vertx, watcher, start, options);
    java.util.function.Function<Integer, Future<java.util.List<JsonObject>>> tail =
        limit -> vertx.executeBlocking(() -> audit.tail(limit));
    ClusterAudit history = new ClusterAudit(vertx, nodeId, tail);
    handler = new RouteCommandHandler(routes, config.environment(), nodeId, state, guard, this::publish,
        new RouteCommandHandler.Sources(tail,
            limit -> store.members().compose(members -> history.gather(members.fieldNames(), limit)),
            () -> store.members(),
            status -> watcher.describe(status).put("joined", state.isJoined())), config.breaches());
    timers.add(vertx.setPeriodic(options.expiryCheckMs(), id -> {
      enqueue(applier::expire);
      // Renews this member's acknowledgement, so a dead member's expires, and counts the living.
      state.renew().compose(v -> store.members()).onSuccess(members -> metrics.clusterMembers(members.size()));
    }));
    Future<?> commands = vertx.eventBus().<JsonObject>localConsumer(RouteCommands.ADDRESS, this::onCommand)
        .completion();
    // Another member changed the shared state: apply it here too.
    Future<?> changes = vertx.eventBus().<JsonObject>consumer(STATE_ADDRESS, m -> enqueue(state::sync)).completion();
    Future<?> joined = Future.all(commands, changes, history.register()).compose(v -> enqueue(state::join));
    // Edits apply on top of the state this member joined with, never before it.
    return joined.compose(v -> edits.afterJoin(state.whenJoined(), timers));
  }

  @Override
  public Future<?> stop() {
    // No scan or expiry after this member left.
    timers.forEach(vertx::cancelTimer);
    return store.forget(nodeId).otherwiseEmpty().eventually(() -> vertx.executeBlocking(() -> {
      audit.close();
      return null;
    }));
  }

  /** Announces a route event, and logs it with its fields as structured fields (logger turnout.route). */
  private void publish(JsonObject event) {
    io.turnout.dataplane.observability.RouteEventLog.write(event);
    vertx.eventBus().publish(RouteEvents.ADDRESS, event);
  }

  /** Runs changes strictly one after another; a failed or refused change never holds up the next. */
  private <T> Future<T> enqueue(Supplier<Future<T>> change) {
    Future<T> result = queue.transform(ignored -> {
      try {
        return change.get();
      } catch (RuntimeException unexpected) {
        return Future.failedFuture(unexpected);
      }
    });
    queue = result;
    return result;
  }

  private void onCommand(Message<JsonObject> message) {
    RouteCommand command;
    try {
      command = RouteCommand.fromJson(message.body());
    } catch (CommandRefusal refused) {
      refused.failReply(message);
      return;
    }
    Future<JsonObject> result = RouteCommandHandler.changes(command)
        ? enqueue(() -> handler.handle(command, clock.instant())) : handler.handle(command, clock.instant());
    result.onSuccess(message::reply).onFailure(t -> CommandRefusal.fail(message, t));
  }
}
