package io.turnout.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.routes.RouteCommands;
import io.turnout.node.NodeConfig;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.turnout.dataplane.observability.ObservedRoutes;
import io.turnout.dataplane.observability.RouteStateMetricsTestMap;

/**
 * The route state on {@code /metrics}: the active version per scope (only the current one has a
 * series), its canary share and hold, this member's revision, and changes counted by source; and
 * the cohort label of request meters, which only takes configured cohorts.
 */
@ExtendWith(VertxExtension.class)
class RouteStateMetricsTest {

  private static final String SCOPE = "production/*/chat-primary";
  private static final String MAP = RouteStateMetricsTestMap.MAP;

  @Test
  void flipsHoldsAndEdits_areOnTheRouteStateMeters(Vertx vertx, @TempDir Path dir) throws IOException {
    // GIVEN a node watching its route map, chat-primary on primary-v1
    Sim sim = Sim.start(vertx);
    TestNode node = startWatched(vertx, sim, dir);
    try {
      Exposition start = scrape(node);
      assertEquals(1, start.value("turnout_route_active_info", "scope", SCOPE, "version", "primary-v1"));
      assertTrue(start.find("turnout_route_active_info", "version", "primary-v2").isEmpty(),
          "only the current version");
      assertEquals(0, start.value("turnout_route_canary_share", "scope", SCOPE));
      assertEquals(0, start.value("turnout_route_frozen", "scope", SCOPE, "state", "none"));
      assertEquals(node.node().routes().revision(), start.value("turnout_route_revision", "member", node.node().id()));
      for (String source : new String[] {"operator", "file", "gate", "expiry", "drill"}) {
        assertEquals(0, start.value("turnout_route_changes_total", "source", source), source);
      }
      long before = node.node().routes().revision();

      // WHEN an operator moves the scope to primary-v2
      command(vertx, scope().put("action", "activate").put("route_version", "primary-v2").put("operator", "alice")
          .put("reason", "cutover"));

      // THEN the info gauge names only the new version, the revision moved, one operator change is counted
      Exposition flipped = scrapeWhen(vertx, node,
          e -> e.sum("turnout_route_changes_total", "source", "operator") == 1);
      assertEquals(1, flipped.value("turnout_route_active_info", "scope", SCOPE, "version", "primary-v2"));
      assertTrue(flipped.find("turnout_route_active_info", "scope", SCOPE, "version", "primary-v1").isEmpty());
      long revision = node.node().routes().revision();
      assertTrue(revision > before);
      assertEquals(revision, flipped.value("turnout_route_revision", "member", node.node().id()));

      // WHEN a gate stops expansion on it
      command(vertx, scope().put("action", "gate").put("gate", "fallback_5xx").put("decision", "stop_expansion")
          .put("route_version", "primary-v2").put("expected_revision", revision).put("reason", "5xx above gate")
          .put("control", new JsonObject().put("epoch", revision).put("frozen", true).put("held_by",
              "gate:fallback_5xx")).put("verdict", new JsonObject()));

      // THEN the scope shows as frozen, counted as a gate's change
      Exposition frozen = scrapeWhen(vertx, node, e -> e.sum("turnout_route_changes_total", "source", "gate") == 1);
      assertEquals(1, frozen.value("turnout_route_frozen", "scope", SCOPE, "state", "frozen"));
      assertTrue(frozen.find("turnout_route_frozen", "scope", SCOPE, "state", "none").isEmpty());

      // WHEN an operator resumes it at a canary share of 25%
      command(vertx, scope().put("action", "resume").put("operator", "alice").put("reason", "fixed")
          .put("canary_share", 0.25));
      Exposition resumed = scrapeWhen(vertx, node,
          e -> e.sum("turnout_route_changes_total", "source", "operator") == 2);
      assertEquals(0.25, resumed.value("turnout_route_canary_share", "scope", SCOPE));
      assertEquals(0, resumed.value("turnout_route_frozen", "scope", SCOPE, "state", "none"));

      // WHEN the route map file is edited (a new version: a comment alone changes nothing)
      write(dir.resolve("routes.yaml"), MAP.replace("\nactive:\n", "\n"
          + "  - {route_version: primary-v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat-primary,\n"
          + "     mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: primary-v1,\n"
          + "     owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}\n"
          + "active:\n"));

      // THEN that is one change from the file; no other source moved
      Exposition edited = scrapeWhen(vertx, node, e -> e.sum("turnout_route_changes_total", "source", "file") == 1);
      assertEquals(2, edited.value("turnout_route_changes_total", "source", "operator"));
      assertEquals(1, edited.value("turnout_route_changes_total", "source", "gate"));
      assertEquals(0, edited.value("turnout_route_changes_total", "source", "expiry"));
      assertEquals(0, edited.value("turnout_route_changes_total", "source", "drill"));

      // WHEN a drill step moves the scope back (a drill's command names its drill)
      command(vertx, scope().put("action", "activate").put("route_version", "primary-v1").put("operator", "bob")
          .put("reason", "drill rollback step").put("drill", "drill-7").put("force", true));

      // THEN it is counted as the drill's, not as an operator's
      Exposition drilled = scrapeWhen(vertx, node, e -> e.sum("turnout_route_changes_total", "source", "drill") == 1);
      assertEquals(2, drilled.value("turnout_route_changes_total", "source", "operator"));
      assertEquals(1, drilled.value("turnout_route_active_info", "scope", SCOPE, "version", "primary-v1"));
    } finally {
      node.stop();
    }
  }

  @Test
  void eachEventType_isCountedUnderItsSource() {
    assertEquals(RouteStateMetrics.Source.OPERATOR,
        RouteStateMetrics.sourceOf(new JsonObject().put("type", "changed")));
    assertEquals(RouteStateMetrics.Source.DRILL, RouteStateMetrics.sourceOf(new JsonObject().put("type", "changed")
        .put("drill", "drill-1")));
    assertEquals(RouteStateMetrics.Source.GATE, RouteStateMetrics.sourceOf(new JsonObject().put("type",
        "gate_action")));
    assertEquals(RouteStateMetrics.Source.EXPIRY, RouteStateMetrics.sourceOf(new JsonObject().put("type", "expired")));
    assertEquals(RouteStateMetrics.Source.FILE, RouteStateMetrics.sourceOf(new JsonObject().put("type", "applied")));
    // Another member's change, adopted here, is counted where it was made.
    assertNull(RouteStateMetrics.sourceOf(new JsonObject().put("type", "applied").put("adopted_from", "node-b")));
    assertNull(RouteStateMetrics.sourceOf(new JsonObject().put("type", "rejected")));
  }

  @Test
  void requestMeters_carryTheCallersConfiguredCohort(Vertx vertx) {
    // GIVEN a node with clients in cohorts acme and internal
    Sim sim = Sim.start(vertx);
    TestNode node = TestNode.start(vertx, TestNode.config(sim, 1_000, 1_000, 3_000) + TestNode.CLIENTS,
        ObservedRoutes.MAP);
    try {
      JsonObject request = new JsonObject().put("model", "chat-primary").put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "Hello")));
      assertEquals(200, node.http().chat(request, auth("client-internal")).status());
      assertEquals(200, node.http().chat(request, auth("client-internal")).status());
      assertEquals(200, node.http().chat(request, auth("client-acme")).status());
      assertEquals(401, node.http().chat(request, auth("made-up-key")).status());

      Exposition metrics = scrapeWhen(vertx, node, e -> e.sum("turnout_requests_total") == 4);
      assertEquals(2, metrics.sum("turnout_requests_total", "cohort", "internal"));
      assertEquals(1, metrics.sum("turnout_requests_total", "cohort", "acme"));
      assertEquals(1, metrics.sum("turnout_requests_total", "cohort", "-"), "unauthenticated: no cohort");
      assertEquals(3, metrics.sum("turnout_request_duration_seconds_count", "route_version", "primary-v1"));
      metrics.find("turnout_requests_total").forEach(s -> assertTrue(
          java.util.Set.of("internal", "acme", "-", "other").contains(s.labels().get("cohort")), s.toString()));
    } finally {
      node.stop();
    }
  }

  private static JsonObject scope() {
    return new JsonObject().put("environment", "production").put("tenant_or_cohort", "*")
        .put("model_alias", "chat-primary");
  }

  private static void command(Vertx vertx, JsonObject command) {
    vertx.eventBus().request(RouteCommands.ADDRESS, command).await();
  }

  private static MultiMap auth(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + key);
  }

  private static TestNode startWatched(Vertx vertx, Sim sim, Path dir) throws IOException {
    String yaml = TestNode.config(sim, 1_000, 1_000, 3_000)
        .replace("routing:\n  watch: false\n", "routing:\n  watch: true\n  scan_period_ms: 100\n")
        + "audit:\n  file: audit.jsonl\n";
    write(dir.resolve(NodeConfig.FILE), yaml);
    write(dir.resolve("routes.yaml"), MAP);
    return TestNode.start(vertx, NodeConfig.load(dir, TestNode.ENV), Clock.systemUTC());
  }

  private static void write(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), ".edit", ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Exposition scrape(TestNode node) {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text());
  }

  private static Exposition scrapeWhen(Vertx vertx, TestNode node, java.util.function.Predicate<Exposition> ready) {
    Eventually.await(vertx, "the metrics show the change", 5_000, () -> ready.test(scrape(node)));
    return scrape(node);
  }
}
