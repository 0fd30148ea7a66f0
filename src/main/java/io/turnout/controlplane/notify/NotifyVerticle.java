package io.turnout.controlplane.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.turnout.controlplane.cluster.RouteStateStore;
import io.turnout.controlplane.drills.DrillCommands;
import io.turnout.controlplane.probes.ProbeCommands;
import io.turnout.routes.RouteEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sends the node's notifications to its webhooks. Every event is delivered exactly once per
 * cluster: each member delivers only the events it originated (local consumers, which never
 * receive another member's publications, and the event's {@code node} checked against this
 * one), and the events no single member originates, a member lost or lagging, are sent by the
 * oldest member only. Delivery is queued per webhook ({@link WebhookSender}) and never blocks.
 */
public final class NotifyVerticle extends VerticleBase {

  private final NotifyOptions options;
  private final String nodeId;
  private final Clock clock;
  private final MeterRegistry registry;
  private final List<WebhookSender> senders = new ArrayList<>();
  private ClusterMembers members;
  private LagTracker lag;
  private RouteStateStore store;

  public NotifyVerticle(NotifyOptions options, String nodeId, Clock clock, MeterRegistry registry) {
    this.options = options;
    this.nodeId = nodeId;
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    options.webhooks().forEach(w -> senders.add(new WebhookSender(vertx, w, registry)));
    members = ClusterMembers.of(vertx);
    members.listen(context, this::onLost);
    lag = new LagTracker(options.laggingAfterMs());
    store = new RouteStateStore(vertx, nodeId);
    vertx.setPeriodic(options.lagCheckMs(), id -> checkLag());
    return Future.all(List.of(listen(RouteEvents.ADDRESS, EventTranslator::route),
        listen(DrillCommands.EVENTS, EventTranslator::drill), listen(ProbeCommands.EVENTS, EventTranslator::probeRun)));
  }

  /** How long a stopping node keeps delivering what its webhooks have queued. */
  public static final long STOP_FLUSH_MS = 5_000;

  @Override
  public Future<?> stop() {
    members.close();
    return Future.join(senders.stream().map(sender -> sender.close(STOP_FLUSH_MS)).toList());
  }

  private Future<?> listen(String address, Function<JsonObject, Notification> translate) {
    return vertx.eventBus().<JsonObject>localConsumer(address, m -> {
      if (m.body() != null && nodeId.equals(m.body().getString("node"))) {
        Notification n = translate.apply(m.body());
        if (n != null) {
          dispatch(n);
        }
      }
    }).completion();
  }

  private void dispatch(Notification n) {
    senders.forEach(s -> s.offer(n));
  }

  private void onLost(ClusterMembers.Lost lost) {
    if (!lost.reportedHere()) {
      return;
    }
    vertx.executeBlocking(() -> members.nameOf(lost.member())).otherwiseEmpty().onComplete(named -> {
      String name = named.result();
      dispatch(new Notification(UUID.randomUUID().toString(), NotifyEvent.MEMBER_LOST, clock.instant(), nodeId, null,
          "cluster member " + (name == null ? "" : name + " at ") + lost.address() + " left or was lost; "
              + lost.remaining() + " member" + (lost.remaining() == 1 ? "" : "s") + " remain",
          new JsonObject().put("node", name).put("member", lost.member()).put("address", lost.address())
              .put("members_remaining", lost.remaining())));
    });
  }

  /** On the oldest member only: compares every member's acknowledged revision with the cluster's. */
  private void checkLag() {
    if (!members.oldest()) {
      return;
    }
    store.read().compose(state -> state == null ? Future.succeededFuture()
        : store.members().map(acks -> {
          long current = RouteStateStore.revisionOf(state);
          for (LagTracker.Lag l : lag.update(acks, current, clock.millis())) {
            dispatch(new Notification(UUID.randomUUID().toString(), NotifyEvent.MEMBER_LAGGING, clock.instant(),
                nodeId, null, "member " + l.node() + " applies route revision " + l.revision() + ", behind the"
                    + " cluster's " + l.current() + " for " + l.behindMs() / 1000 + " s",
                new JsonObject().put("member", l.node()).put("revision", l.revision()).put("current", l.current())
                    .put("behind_ms", l.behindMs())));
          }
          return null;
        })).otherwiseEmpty();
  }
}
