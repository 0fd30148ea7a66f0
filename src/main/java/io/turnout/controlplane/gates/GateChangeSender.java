package io.turnout.controlplane.gates;

import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.routes.RouteCommands;
import io.turnout.dataplane.observability.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a gate's decision to the route control plane as a typed route command. The member whose
 * compare-and-set wins counts the change; a member that lost to another's identical decision
 * (409) says nothing; any other refusal is logged once per scope and decision until one succeeds,
 * never every tick.
 */
final class GateChangeSender {

  private static final Logger LOG = LoggerFactory.getLogger(GateChangeSender.class);

  private final Vertx vertx;
  private final NodeMetrics metrics;
  private final Set<String> failing = new HashSet<>();

  GateChangeSender(Vertx vertx, NodeMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /** Sends {@code decision}; always completes (a refused change is reported, not failed). */
  Future<Void> send(GateDecision decision) {
    return vertx.eventBus().<JsonObject>request(RouteCommands.ADDRESS, decision.toRouteCommand().toJson())
        .transform(ar -> {
          String key = decision.scope() + " " + decision.kind().wireName();
          if (ar.succeeded()) {
            failing.remove(key);
            metrics.gateAction(decision.gate(), decision.kind().wireName());
            return Future.<Void>succeededFuture();
          }
          CommandRefusal refusal = CommandRefusal.fromReply(ar.cause());
          if (refusal.status() == 409) {
            LOG.debug("Gate change on {} made by another member first: {}", decision.scope(), refusal.getMessage());
          } else if (failing.add(key)) {
            LOG.warn("Gate change on scope {} ({}) not made: {}", decision.scope(), decision.kind().wireName(),
                refusal.getMessage());
          }
          return Future.<Void>succeededFuture();
        });
  }
}
