package io.turnout.controlplane.gates;

import io.turnout.dataplane.observability.NodeMetrics;
import io.turnout.controlplane.routes.ScopeBreaches;
import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.turnout.dataplane.signals.SignalWindows;

/**
 * Evaluates the rollback gates on this member, every tick: shares this member's window counts
 * with the others, adds up everyone's, judges every active scope ({@link GateEvaluator}) and
 * sends the changes breaches call for to the route control plane, which makes each one with a
 * compare-and-set on the cluster's route state, so however many members decide the same change,
 * it happens once. Verdict changes are logged once and published; the latest verdicts and the
 * changes gates made are served at {@link GateCommands#ADDRESS}. One instance per node.
 */
public final class GateVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GateVerticle.class);

  private final GateOptions options;
  private final GateEvaluator evaluator;
  private final SignalWindows windows;
  private final RouteTable routes;
  private final String nodeId;
  private final Clock clock;
  private final NodeMetrics metrics;
  private final LatestSignals shared;
  private final Predicate<String> pooled;
  private final Predicate<String> breakerOpen;
  private final GateSettings settings;
  private final Set<String> providers;
  private GateVerdicts verdicts;
  private GateChangeSender changes;
  private ScopeBreaches breaches = new ScopeBreaches();
  private SignalExchange exchange;
  private boolean ticking;
  private int membersReporting;

  /**
   * @param shared where the cluster's summed signals are left for drills
   * @param pooled whether this member keeps a provider's connection pools (shared with the others)
   * @param breakerOpen whether this member's breaker for a provider is open (shared with the
   *     others: a rollback target whose provider's breaker is open anywhere is failing)
   */
  public GateVerticle(GateOptions options, SignalWindows windows, RouteTable routes, String nodeId, Clock clock,
      NodeMetrics metrics, LatestSignals shared, Set<String> providers, Predicate<String> pooled,
      Predicate<String> breakerOpen) {
    this.options = options;
    this.breakerOpen = breakerOpen;
    this.settings = new GateSettings(options);
    this.evaluator = new GateEvaluator(options.rules());
    this.windows = windows;
    this.routes = routes;
    this.nodeId = nodeId;
    this.clock = clock;
    this.metrics = metrics;
    this.shared = shared;
    this.pooled = pooled;
    this.providers = Set.copyOf(providers);
  }

  /** Where this member's breaching scopes are left every tick (for route commands); returns this. */
  public GateVerticle breaches(ScopeBreaches breaches) {
    this.breaches = breaches;
    return this;
  }

  @Override
  public Future<?> start() {
    exchange = new SignalExchange(vertx, nodeId);
    changes = new GateChangeSender(vertx, metrics);
    verdicts = new GateVerdicts(nodeId, metrics, v -> vertx.eventBus().publish(GateCommands.VERDICTS, v), breaches);
    metrics.gatesConfigured(options.rules().stream().map(GateRule::name).toList());
    Future<?> status = vertx.eventBus().<JsonObject>localConsumer(GateCommands.ADDRESS, this::onStatus).completion();
    Future<?> events = vertx.eventBus().<JsonObject>consumer(RouteEvents.ADDRESS, m -> {
      if ("gate_action".equals(m.body().getString("type"))) {
        verdicts.remember(m.body());
      }
    }).completion();
    if (options.enabled()) {
      vertx.setPeriodic(options.tickMs(), id -> tick());
    }
    return Future.all(status, events);
  }

  @Override
  public Future<?> stop() {
    return exchange.withdraw(nodeId).otherwiseEmpty();
  }

  /** One evaluation; a tick that finds the previous one still running is skipped. */
  Future<Void> tick() {
    if (ticking) {
      return Future.succeededFuture();
    }
    ticking = true;
    long now = clock.millis();
    JsonObject export = windows.export(now).put("pools", pools()).put("node", nodeId)
        .put("settings", settings.fingerprint())
        .put("open_breakers", new JsonArray(providers.stream().filter(breakerOpen).sorted().toList()));
    return exchange.share(nodeId, export, Math.max(5_000, 5 * options.tickMs()))
        .compose(exports -> {
          membersReporting = exports.size();
          ClusterSignals signals = ClusterSignals.merge(options.bucketMs(), settings.fingerprint(), exports);
          metrics.gateSettingsDisagreeing(settings.observe(signals.disagreeing()));
          shared.update(signals, now);
          GateEvaluator.Evaluation evaluation = evaluator.evaluate(routes.current(), signals, now);
          verdicts.report(evaluation.verdicts());
          return Future.join(evaluation.decisions().stream().map(changes::send).toList());
        })
        .onFailure(t -> LOG.warn("Gate evaluation failed this tick: {}", t.toString()))
        .<Void>mapEmpty()
        .otherwiseEmpty()
        .onComplete(v -> ticking = false);
  }

  private JsonObject pools() {
    JsonObject pools = new JsonObject();
    for (String provider : providers) {
      pools.put(provider, pooled.test(provider));
    }
    return pools;
  }

  private void onStatus(Message<JsonObject> message) {
    JsonArray rules = new JsonArray();
    options.rules().forEach(r -> rules.add(r.toJson()));
    message.reply(new JsonObject().put("node", nodeId).put("enabled", options.enabled())
        .put("tick_ms", options.tickMs()).put("bucket_ms", options.bucketMs())
        .put("members_reporting", membersReporting)
        .put("settings", settings.fingerprint()).put("members_disagreeing", settings.disagreeing())
        .put("in_flight", shared.signals() == null ? new JsonObject() : new JsonObject(new java.util.HashMap<>(
            shared.signals().inFlight())))
        .put("rules", rules).put("verdicts", verdicts.verdictsJson()).put("actions", verdicts.actionsJson()));
  }
}
