package io.turnout.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.turnout.dataplane.observability.ProcessMetrics;
import io.turnout.dataplane.observability.RequestSpans;
import io.turnout.dataplane.observability.Tracing;
import io.turnout.dataplane.observability.TracingOptions;

/**
 * What one node owns for observability beyond its request metrics: the tracing SDK, the process
 * meters and the route state meters, started with the node and released when it stops.
 */
public final class NodeObservability {

  private final Vertx vertx;
  private final Tracing tracing;
  private final ProcessMetrics process;
  private final RouteStateMetrics routeState;
  private MessageConsumer<JsonObject> routeEvents;

  public NodeObservability(Vertx vertx, MeterRegistry registry, TracingOptions tracing, RouteTable routes,
      String nodeId) {
    this.vertx = vertx;
    this.tracing = Tracing.create(tracing);
    this.process = new ProcessMetrics(registry);
    this.routeState = new RouteStateMetrics(registry, routes, nodeId);
  }

  /** The request and attempt spans of this node ({@link Tracing#OFF} unless tracing is enabled). */
  public RequestSpans spans() {
    return new RequestSpans(tracing);
  }

  /** Starts listening to route events; call before the route control plane deploys. */
  public Future<Void> start() {
    return routeState.listen(vertx).map(consumer -> {
      routeEvents = consumer;
      return null;
    });
  }

  /** Stops listening, releases the JVM listeners and flushes and stops the span exporter. */
  public Future<Void> stop() {
    process.close();
    Future<Void> unregistered = routeEvents == null ? Future.succeededFuture() : routeEvents.unregister();
    return unregistered.compose(v -> tracing.enabled() ? vertx.executeBlocking(() -> {
      tracing.close();
      return null;
    }) : Future.succeededFuture());
  }
}
