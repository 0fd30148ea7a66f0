package io.turnout.controlplane.drain;

import io.turnout.dataplane.drain.Drain;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.turnout.controlplane.routes.RouteControlVerticle;

/**
 * Tells the node's {@link Drain} about every route change this node applies: it listens to the
 * revisions the route control verticle announces on
 * {@link RouteControlVerticle#MEMBER_APPLIED_ADDRESS} (published after the route table was
 * replaced) and keeps only this node's own. Changes are handled one at a time on this verticle's
 * context; each one reads the route table as it is then, so announcements that arrive late or
 * together lose nothing.
 */
public final class DrainVerticle extends VerticleBase {

  private final Drain drain;
  private final String nodeId;
  private MessageConsumer<JsonObject> consumer;

  public DrainVerticle(Drain drain, String nodeId) {
    this.drain = drain;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().<JsonObject>localConsumer(RouteControlVerticle.MEMBER_APPLIED_ADDRESS, message -> {
      if (nodeId.equals(message.body().getString("node"))) {
        drain.routesChanged();
      }
    });
    Future<?> cancels = vertx.eventBus().<JsonObject>consumer(Drain.CANCEL_ADDRESS, message -> {
      java.util.Set<String> versions = new java.util.LinkedHashSet<>();
      message.body().getJsonArray("route_versions", new io.vertx.core.json.JsonArray())
          .forEach(v -> versions.add(String.valueOf(v)));
      drain.cancelInFlight(versions);
    }).completion();
    return Future.all(consumer.completion(), cancels);
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
