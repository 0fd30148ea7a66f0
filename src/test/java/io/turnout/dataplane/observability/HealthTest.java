package io.turnout.dataplane.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.dataplane.http.RoutingVerticle;
import io.turnout.node.NodeConfig;
import io.turnout.node.Readiness;
import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.routes.ActivePointers;
import io.turnout.dataplane.routing.RetryBudget;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Liveness answers while the event loop does; readiness is DOWN until the node has deployed
 * everything and while no route map is loaded. The checks {@link io.turnout.node.Node} serves are
 * built by {@link Readiness}, so the DOWN states can be held still instead of racing a deployment.
 */
@ExtendWith(VertxExtension.class)
class HealthTest {

  @Test
  void startedNode_isLiveAndReady(Vertx vertx) {
    // GIVEN a node whose start has completed
    Sim sim = Sim.start(vertx);
    TestNode node = TestNode.start(vertx, sim);
    try {
      // WHEN a probe asks
      TestHttp.Response live = node.http().send(HttpMethod.GET, "/health/live", null);
      TestHttp.Response ready = node.http().send(HttpMethod.GET, "/health/ready", null);

      // THEN both are UP, and readiness names its checks
      assertEquals(200, live.status(), live.text());
      assertEquals("UP", live.json().getString("status"));
      assertEquals(200, ready.status(), ready.text());
      assertEquals("UP", ready.json().getString("status"));
      JsonArray checks = ready.json().getJsonArray("checks");
      Map<String, String> byId = checks.stream().map(JsonObject.class::cast)
          .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("status")));
      assertEquals(Map.of(Readiness.NODE_STARTED, "UP", Readiness.ROUTE_MAP, "UP", Readiness.ACCEPTING, "UP"), byId);
    } finally {
      node.stop();
    }
  }

  @Test
  void readiness_isDownUntilStartCompletes(Vertx vertx) {
    // GIVEN a routing verticle serving, deployed the way Node deploys it, before the node's start
    // has completed (Node flips this flag only once every deployment is done)
    Sim sim = Sim.start(vertx);
    NodeConfig config = NodeConfig.parse("test/turnout.yaml", TestNode.config(sim, 1_000, 1_000, 2_000), Path.of("."),
        TestNode.ENV, name -> TestNode.DEFAULT_ROUTES);
    AtomicBoolean started = new AtomicBoolean();
    RouteTable routes = table(config.routes());
    ProviderBreakers breakers = new ProviderBreakers(vertx, config.providers().keySet(), config.breaker(), "test");
    RoutingVerticle.Shared shared = new RoutingVerticle.Shared(config.dataPlane(), routes, breakers,
        RetryBudget.withDefaults(System::nanoTime), new RequestObserver(NodeMetrics.NOOP),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Readiness.create(vertx, started::get, routes),
        Clock.systemUTC(), 1);
    AtomicInteger port = new AtomicInteger();
    String deployment = vertx.deployVerticle(new RoutingVerticle(shared, port::set)).await();
    TestHttp http = new TestHttp(vertx, port.get());
    try {
      // WHEN probes ask before and after the start completes
      TestHttp.Response live = http.send(HttpMethod.GET, "/health/live", null);
      TestHttp.Response before = http.send(HttpMethod.GET, "/health/ready", null);
      started.set(true);
      TestHttp.Response after = http.send(HttpMethod.GET, "/health/ready", null);

      // THEN it is live all along, but ready only once started
      assertEquals(200, live.status());
      assertEquals(503, before.status(), before.text());
      assertEquals("DOWN", before.json().getString("status"));
      assertEquals("DOWN", checkStatus(before, Readiness.NODE_STARTED));
      assertEquals("UP", checkStatus(before, Readiness.ROUTE_MAP));
      assertEquals(200, after.status(), after.text());
      assertEquals("UP", after.json().getString("status"));
    } finally {
      http.close().await();
      vertx.undeploy(deployment).await();
      breakers.close();
    }
  }

  @Test
  void readiness_isDownWithoutARouteMap(Vertx vertx) {
    // GIVEN a started node whose route table holds no versions
    RouteMap empty = new RouteMap(Map.of(), Map.of(), ActivePointers.EMPTY);
    HealthChecks readiness = Readiness.create(vertx, () -> true, table(empty));

    // WHEN asked
    CheckResult result = readiness.checkStatus().await();

    // THEN it is DOWN for want of routes
    assertFalse(result.getUp());
    assertEquals("DOWN", status(result, Readiness.ROUTE_MAP));
    assertEquals("UP", status(result, Readiness.NODE_STARTED));
  }

  private static String checkStatus(TestHttp.Response response, String id) {
    return response.json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst().map(c -> c.getString("status"))
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + response.text()));
  }

  private static RouteTable table(RouteMap map) {
    return new RouteTable(new RouteSnapshot(map, map.active(), "test/routes.yaml", Instant.EPOCH));
  }

  private static String status(CheckResult result, String id) {
    return result.getChecks().stream().filter(c -> c.getId().equals(id)).findFirst()
        .map(c -> c.getUp() ? "UP" : "DOWN").orElseThrow(() -> new AssertionError("no check " + id));
  }
}
