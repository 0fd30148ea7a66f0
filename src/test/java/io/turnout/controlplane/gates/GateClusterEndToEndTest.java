package io.turnout.controlplane.gates;

import static io.turnout.testing.Faults.malformed;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.routes.RouteEvents;
import io.turnout.testing.BusEvents;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollback gates on a real multi-member cluster in front of the simulator, with short windows:
 * every member's traffic counts toward one verdict, and the change it calls for is made once,
 * applied by every member, audited and announced.
 */
class GateClusterEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-comet, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-canary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.5, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, fallback_on: [upstream_5xx], rollback_route_version: chat-v1,
           owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;
  private static final String GATES = """
      gates:
        tick_ms: 100
        bucket_ms: 500
        rules:
          - {name: fallback_5xx, signal: upstream_5xx_rate, above: 0.02, window_ms: 60000, min_samples: 20,
             action: rollback}
      """;
  private static final String BUDGET = "\n    - {name: fallback_usage_budget, signal: tokens, above: 100, window_ms: 60000,"
      + " action: stop}\n";

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    cluster = new TestCluster(sim, GATES, ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void fallbackFiveXxAtTenPercent_rollsBackOnce_onEveryMember() throws Exception {
    List<Member> members = List.of(cluster.join(), cluster.join(), cluster.join());
    Member a = members.get(0);
    BusEvents events = BusEvents.record(a.vertx(), RouteEvents.ADDRESS);
    activate(a, "chat-comet");
    // WHEN 3 of 30 fallback attempts, spread over the members, answer 500: 10 per member is below
    // the 20-sample minimum, so only the cluster's sum can reach a verdict
    sim.failNext("cometapi", status(500), 3);
    for (int i = 0; i < 30; i++) {
      members.get(i % 3).http().chat(ChatRequests.plain("chat"));
    }

    // THEN every member serves the rollback version
    for (Member m : members) {
      Eventually.await(simVertx, "member rolled back to chat-v1", 10_000, () -> "chat-v1".equals(m.servedBy("chat")));
    }
    JsonObject action = events.await("the gate's change", 5_000, e -> "gate_action".equals(e.getString("type")));
    assertEquals("rollback", action.getString("decision"));
    assertEquals("gate:fallback_5xx", action.getString("operator"));
    assertEquals("chat-comet", action.getString("from"));
    assertEquals("chat-v1", action.getString("to"));
    // (the gate fires on the first tick whose window holds 20 samples and a rate above 2%)
    JsonObject verdict = action.getJsonObject("verdict");
    assertTrue(verdict.getLong("samples") >= 20 && verdict.getDouble("value") > 0.02, verdict.encode());
    long failures = Math.round(verdict.getDouble("value") * verdict.getLong("samples"));
    assertTrue(failures >= 1 && failures <= 3, verdict.encode());
    // AND it was made exactly once: one announcement, one audit entry, one count across the cluster
    Eventually.holds(simVertx, "no second gate change", 1_000,
        () -> events.matching(e -> "gate_action".equals(e.getString("type"))).size() == 1);
    long audited = 0;
    double counted = 0;
    for (Member m : members) {
      audited += Files.readAllLines(m.dir().resolve("audit.jsonl")).stream()
          .filter(line -> new JsonObject(line).getString("action").equals("gate")).count();
      counted += Exposition.parse(m.http().send(HttpMethod.GET, "/metrics", null).text())
          .sum("turnout_gate_actions_total", "gate", "fallback_5xx", "decision", "rollback");
    }
    assertEquals(1, audited);
    assertEquals(1.0, counted);
  }

  @Test
  void oneMalformedBody_rollsBack() {
    Member a = cluster.join();
    Member b = cluster.join();
    activate(a, "chat-comet");

    sim.nextFault("cometapi", malformed("missing_choices"));
    assertEquals(502, b.http().chat(ChatRequests.plain("chat")).status());

    Eventually.await(simVertx, "A rolled back", 10_000, () -> "chat-v1".equals(a.servedBy("chat")));
    JsonObject audit = lastGateEntry(a, b);
    assertEquals("fallback_malformed", audit.getJsonObject("verdict").getString("gate"));
    assertEquals("rollback", audit.getString("decision"));
  }

  @Test
  void anAuthFailure_rollsBack() {
    Member a = cluster.join();
    Member b = cluster.join();
    activate(a, "chat-comet");

    sim.nextFault("cometapi", status(401));
    b.http().chat(ChatRequests.plain("chat"));

    Eventually.await(simVertx, "A rolled back", 10_000, () -> "chat-v1".equals(a.servedBy("chat")));
    assertEquals("fallback_auth", lastGateEntry(a, b).getJsonObject("verdict").getString("gate"));
  }

  @Test
  void usageAboveTheBudget_stopsTheCanary() {
    cluster = new TestCluster(sim, GATES.stripTrailing() + BUDGET, ROUTES);
    Member a = cluster.join();
    Member b = cluster.join();
    activate(a, "chat-canary");

    // WHEN canary answers report more tokens than the 100-token budget (about 17 per answer)
    for (int i = 0; i < 40; i++) {
      b.http().chat(ChatRequests.plain("chat"));
    }

    // THEN the canary is stopped: share 0, frozen, still on its version
    Eventually.await(simVertx, "canary stopped on A", 10_000, () -> {
      JsonObject pointer = pointer(a);
      return pointer.getDouble("canary_share", -1.0) == 0.0 && pointer.getBoolean("frozen", false);
    });
    assertEquals("chat-canary", pointer(b).getString("route_version"));
    assertEquals("gate:fallback_usage_budget", pointer(b).getString("held_by"));
    // AND no request goes to the canary first any more
    sim.reset("cometapi");
    for (int i = 0; i < 10; i++) {
      TestHttp.Response r = b.http().chat(ChatRequests.plain("chat"));
      assertEquals("primary", r.header("x-turnout-provider"));
    }
    assertTrue(sim.requests("cometapi").isEmpty());
    // AND an operator's forward move is refused while frozen, but allowed when forced, and audited so
    TestHttp.Response refused = a.admin("/admin/scopes/activate", activation("chat-comet"));
    assertEquals(400, refused.status(), refused.text());
    TestHttp.Response forced = a.admin("/admin/scopes/activate", activation("chat-comet").put("force", true));
    assertEquals(200, forced.status(), forced.text());
    assertTrue(forced.json().getBoolean("forced"));
  }

  @Test
  void aFallbackRouteWithoutUsageTelemetry_staysAtTheTestShare() {
    Member a = cluster.join();
    Member b = cluster.join();
    activate(a, "chat-canary");

    // WHEN the canary's provider reports no usage
    sim.script("cometapi", new JsonObject().put("usage", false));
    Eventually.await(simVertx, "the canary kept at test level", 10_000, () -> {
      b.http().chat(ChatRequests.plain("chat"));
      JsonObject pointer = pointer(a);
      return pointer.getDouble("canary_share", -1.0) == 0.01 && pointer.getBoolean("frozen", false)
          && pointer(b).getBoolean("frozen", false);
    });

    // THEN the scope stays on the canary at the test share, and cannot be expanded without force
    assertEquals("gate:fallback_usage_unknown", pointer(b).getString("held_by"));
    assertEquals("chat-canary", pointer(b).getString("route_version"));
    TestHttp.Response expand = b.admin("/admin/scopes/activate", activation("chat-comet"));
    assertEquals(400, expand.status(), expand.text());
    assertTrue(expand.text().contains("frozen by gate:fallback_usage_unknown"), expand.text());
  }

  @Test
  void aRollbackTargetThatFailsToo_pausesTheScopeInstead() {
    Member a = cluster.join();
    Member b = cluster.join();
    BusEvents events = BusEvents.record(a.vertx(), RouteEvents.ADDRESS);
    activate(a, "chat-canary");
    // GIVEN the primary (what chat-v1 serves from) failing in this scope
    sim.failAlways("primary", status(503));
    // (about half the requests try the primary first: enough for the 20-sample minimum; all through
    // A, so any member's view that holds the malformed answer below holds these failures too)
    for (int i = 0; i < 60; i++) {
      a.http().chat(ChatRequests.plain("chat"));
    }

    // WHEN the canary returns one malformed body
    sim.failAlways("cometapi", malformed("missing_choices"));
    Eventually.await(simVertx, "the pause", 10_000, () -> {
      a.http().chat(ChatRequests.plain("chat"));
      return !events.matching(e -> "gate_action".equals(e.getString("type"))).isEmpty();
    });

    // THEN the scope stays on the canary, paused, and the event says why
    JsonObject action = events.matching(e -> "gate_action".equals(e.getString("type"))).get(0);
    assertEquals("pause", action.getString("decision"));
    assertTrue(action.getString("reason").contains("rollback target chat-v1 is failing too"), action.encode());
    Eventually.await(simVertx, "B sees the pause", 5_000, () -> pointer(b).getString("paused") != null);
    assertEquals("chat-canary", pointer(b).getString("route_version"));
    // AND gates keep evaluating the paused scope
    Eventually.await(simVertx, "B's verdict: malformed breach", 5_000, () -> b.admin("/admin/gates", null).json()
        .getJsonArray("verdicts").stream().map(JsonObject.class::cast)
        .anyMatch(v -> "fallback_malformed".equals(v.getString("gate")) && "breach".equals(v.getString("state"))));
    // AND an operator cannot lift it while the gate still breaches, unless forced (audited)
    TestHttp.Response refused = a.admin("/admin/scopes/resume", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("reason", "primary recovered"));
    assertEquals(409, refused.status(), refused.text());
    assertEquals("scope_breaching", refused.json().getJsonObject("error").getString("code"));
    TestHttp.Response resumed = a.admin("/admin/scopes/resume", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("reason", "primary recovered").put("force", true));
    assertEquals(200, resumed.status(), resumed.text());
    assertEquals(Boolean.TRUE, resumed.json().getBoolean("forced"));
  }

  /** Activates {@code version} on {@code m} and waits until every member serves it. */
  private void activate(Member m, String version) {
    TestHttp.Response r = m.admin("/admin/scopes/activate", activation(version));
    assertEquals(200, r.status(), r.text());
    for (Member each : cluster.members()) {
      Eventually.await(simVertx, "applied", 5_000, () -> version.equals(pointer(each).getString("route_version")));
    }
  }

  private static JsonObject activation(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "drill");
  }

  private static JsonObject pointer(Member m) {
    JsonArray pointers = m.admin("/admin/routes", null).json().getJsonArray("pointers");
    return pointers.getJsonObject(0);
  }

  private static JsonObject lastGateEntry(Member... members) {
    for (Member m : members) {
      JsonArray entries = m.admin("/admin/audit?limit=50", null).json().getJsonArray("entries");
      for (int i = entries.size() - 1; i >= 0; i--) {
        if ("gate".equals(entries.getJsonObject(i).getString("action"))) {
          return entries.getJsonObject(i);
        }
      }
    }
    throw new AssertionError("no gate entry in any member's audit log");
  }
}
