package io.turnout.controlplane.drills;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.malformed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cutover drills on a real two-member cluster in front of the simulator: every step approved
 * through the admin API (on either member), traffic through both, and a report whose evidence
 * matches the traffic that was sent.
 */
class DrillClusterEndToEndTest {

  private static final String ROUTES = io.turnout.testing.DrillRoutes.MAP;

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;
  private Path reports;

  @BeforeEach
  void start() throws Exception {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    // Real providers take longer than the timeout probe's 5 ms; so must the simulated ones.
    sim.script("primary", new JsonObject().put("latency_ms", 30));
    sim.script("cometapi", new JsonObject().put("latency_ms", 30));
    reports = Files.createTempDirectory("turnout-drills");
    cluster = new TestCluster(sim, TestNode.CLIENTS + """
        gates:
          tick_ms: 100
          bucket_ms: 500
        drills:
          report_dir: %s
          drain_grace_ms: 200
          min_samples: 5
          auto_fallback: {require_drill: false}
        """.formatted(reports), ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aCompleteDrill_withApprovalsAndTraffic_endsInAReportWithTrueNumbers() throws Exception {
    Member a = cluster.join();
    Member b = cluster.join();
    send(a, "acme", 10);

    JsonObject drill = ok(a.admin("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("internal_version", "chat-internal-v1")
        .put("reason", "quarterly CometAPI drill")));
    String id = drill.getString("id");
    assertEquals("prepared", drill.getString("step"));

    // probes, approved on member B
    JsonObject probed = advance(b, id, "contract first");
    assertEquals("probes", probed.getString("step"), probed.encodePrettily());
    assertEquals("awaiting_approval", probed.getString("status"), probed.encodePrettily());

    // the internal cohort moves to CometAPI
    assertEquals("internal", advance(a, id, "internal users first").getString("step"));
    Eventually.await(simVertx, "B serves the internal cohort from chat-internal-v1", 5_000,
        () -> "chat-internal-v1".equals(served(b, "internal")));
    send(b, "internal", 5);

    // the canary
    assertEquals("canary", advance(b, id, "internal looked fine").getString("step"));
    Eventually.await(simVertx, "A serves the canary", 5_000, () -> "chat-canary".equals(served(a, "acme")));
    send(a, "acme", 10);
    send(b, "acme", 10);

    // back to the previous versions
    JsonObject rolledBack = advance(a, id, "drill: prove the way back");
    assertEquals("rollback", rolledBack.getString("step"));
    Eventually.await(simVertx, "B serves chat-v1 again", 5_000, () -> "chat-v1".equals(served(b, "acme")));

    // the drain check passes once the rollback settled and traffic flows on the prior route
    Eventually.await(simVertx, "a clean drain check", 10_000, () -> {
      send(b, "acme", 3);
      JsonObject checked = advance(a, id, "check the drain");
      return "drain_check".equals(checked.getString("step")) && "awaiting_approval".equals(checked.getString("status"));
    });

    // re-enable: only after a clean rollback
    JsonObject done = Eventually.value(simVertx, "re-enabled", 10_000, () -> {
      send(a, "acme", 3);
      JsonObject next = advance(b, id, "rollback was clean: re-enable");
      return "complete".equals(next.getString("step")) ? next : null;
    });
    assertEquals("complete", done.getString("status"));

    // THEN the report holds every evidence field, with the numbers of the traffic sent
    JsonObject report = ok(b.admin("/admin/drills/" + id, null));
    java.util.Map<String, Long> sent = java.util.Map.copyOf(answeredBy);
    Eventually.await(simVertx, "the canary is back", 5_000, () -> "chat-canary".equals(served(a, "acme")));
    JsonObject evidence = report.getJsonObject("evidence");
    JsonArray changes = evidence.getJsonArray("route_version_changes");
    assertEquals(List.of("chat-internal-v1", "chat-canary", "chat-v1", "chat-internal-v0", "chat-canary"),
        changes.stream().map(c -> ((JsonObject) c).getString("to")).toList());
    JsonObject byRoute = evidence.getJsonObject("by_route");
    assertEquals(sent.get("chat-internal-v1"), byRoute.getJsonObject("chat-internal-v1").getLong("requests"),
        byRoute.encodePrettily());
    assertEquals(sent.get("chat-canary"), byRoute.getJsonObject("chat-canary").getLong("requests"),
        byRoute.encodePrettily());
    assertTrue(sent.get("chat-canary") >= 20);
    JsonObject canary = byRoute.getJsonObject("chat-canary");
    long cometAttempts = canary.getJsonObject("providers").getJsonObject("cometapi").getLong("attempts");
    assertTrue(cometAttempts > 0 && cometAttempts < sent.get("chat-canary"), canary.encodePrettily());
    assertTrue(byRoute.getJsonObject("chat-v1").getLong("requests") >= 6, byRoute.encodePrettily());
    for (String version : List.of("chat-internal-v1", "chat-canary", "chat-v1")) {
      JsonObject r = byRoute.getJsonObject(version);
      assertEquals(0, r.getLong("errors"), version);
      assertTrue(r.getJsonObject("latency_ms").getLong("p50") > 0, version);
      assertTrue(r.getJsonObject("latency_ms").getLong("p99") >= r.getJsonObject("latency_ms").getLong("p50"));
      assertEquals(0, r.getLong("timeouts"));
      assertEquals(0, r.getLong("retries"));
      assertEquals(0, r.getLong("malformed_responses"));
      assertTrue(r.getJsonObject("usage").getLong("total_tokens") > 0, version);
      assertEquals("provider", r.getJsonObject("usage").getString("usage_source"));
    }
    // by role: the canary's primary and fallback routes apart, adding up to the version's numbers
    JsonObject roles = canary.getJsonObject("by_role");
    JsonObject onPrimary = roles.getJsonObject("primary");
    JsonObject onFallback = roles.getJsonObject("fallback");
    assertEquals("primary", onPrimary.getString("provider"), roles.encodePrettily());
    assertEquals("cometapi", onFallback.getString("provider"), roles.encodePrettily());
    assertEquals(canary.getLong("requests"), onPrimary.getLong("requests") + onFallback.getLong("requests"));
    assertEquals(cometAttempts, onFallback.getLong("attempts"));
    for (JsonObject role : List.of(onPrimary, onFallback)) {
      assertTrue(role.getJsonObject("latency_ms").getLong("p95") > 0, role.encode());
      assertTrue(role.getJsonObject("usage").getLong("total_tokens") > 0, role.encode());
      assertEquals(0, role.getLong("attempts_failed"));
    }
    assertEquals(0, canary.getLong("requests_failed"), canary.encodePrettily());
    assertEquals(canary.getLong("requests"), canary.getLong("requests_answered"));
    // no internal abbreviation of the signals anywhere in the report
    assertNoAbbreviatedKeys(report, "drill");
    JsonArray approvals = evidence.getJsonArray("approvals");
    assertEquals(List.of("prepared", "probes", "internal", "canary", "rollback"), approvals.stream().limit(5)
        .map(s -> ((JsonObject) s).getString("step")).toList());
    assertTrue(approvals.stream().allMatch(s -> "alice".equals(((JsonObject) s).getString("operator"))));
    assertEquals("drill: prove the way back", evidence.getJsonObject("rollback_decision").getString("reason"));
    assertTrue(evidence.getJsonArray("clean_checks").stream()
        .allMatch(c -> ((JsonObject) c).getBoolean("passed")), evidence.encodePrettily());
    assertTrue(evidence.getJsonArray("probe_runs").stream().allMatch(r -> ((JsonObject) r).getBoolean("passed")));
    // AND it is written to disk and served as a readable page
    assertEquals(id, new JsonObject(Files.readString(reports.resolve(id + ".json"))).getString("id"));
    TestHttp.Response page = b.admin("/admin/drills/" + id + "/report", null);
    assertEquals(200, page.status());
    assertTrue(page.header("content-type").startsWith("text/html"));
    assertTrue(page.text().contains("drill: prove the way back") && page.text().contains("chat-internal-v1"));
  }

  @Test
  void aGateThatActsOnTheDrillsScope_abortsTheDrill() {
    Member a = cluster.join();
    Member b = cluster.join();
    String id = ok(a.admin("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("reason", "drill"))).getString("id");
    advance(a, id, "probes");
    advance(a, id, "no internal version: skipped");
    assertEquals("canary", advance(a, id, "canary").getString("step"));
    Eventually.await(simVertx, "B serves the canary", 5_000, () -> "chat-canary".equals(served(b, "acme")));

    // WHEN the canary returns a malformed body: the runbook's gate rolls the scope back
    sim.failAlways("cometapi", malformed("missing_choices"));
    Eventually.await(simVertx, "the drill aborted", 10_000, () -> {
      send(b, "acme", 1);
      return "aborted".equals(ok(a.admin("/admin/drills/" + id, null)).getString("step"));
    });

    JsonObject aborted = ok(b.admin("/admin/drills/" + id, null));
    assertEquals("gate:fallback_malformed", aborted.getJsonObject("abort").getString("by"));
    assertTrue(aborted.getJsonObject("abort").getString("reason").startsWith("gate rollback"));
    assertEquals("chat-v1", served(a, "acme"));
    assertEquals(409, a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "go on")
        .put("expected_step", "canary")).status());
  }

  @Test
  void aDrainCheckThatFindsTrafficStillOnTheFallbackRoute_doesNotReEnable() {
    Member a = cluster.join();
    Member b = cluster.join();
    String id = ok(a.admin("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("internal_version", "chat-internal-v1")
        .put("reason", "drill"))).getString("id");
    advance(a, id, "probes");
    advance(a, id, "internal");
    Eventually.await(simVertx, "B serves the internal cohort from CometAPI", 5_000,
        () -> "chat-internal-v1".equals(served(b, "internal")));

    // GIVEN an internal request hanging on CometAPI (the fallback route) while the drill rolls back
    sim.failAlways("cometapi", fault("hang"));
    io.vertx.core.Future<Integer> hanging = b.http().raw().request(HttpMethod.POST, "/v1/chat/completions")
        .compose(r -> r.putHeader("content-type", "application/json").putHeader("authorization", "Bearer client-internal")
            .send(ChatRequests.plain("chat").toBuffer()))
        .compose(response -> response.body().map(body -> response.statusCode()));
    Eventually.await(simVertx, "the attempt is in flight cluster-wide", 5_000, () -> ok(a.admin("/admin/gates", null))
        .getJsonObject("in_flight").getLong("chat-internal-v1", 0L) == 1);
    advance(a, id, "canary");
    assertEquals("rollback", advance(a, id, "roll back").getString("step"));

    // WHEN the drain check runs
    JsonObject checked = advance(a, id, "drain?");

    // THEN it finds the attempt still on the fallback route and blocks: nothing is re-enabled
    assertEquals("drain_check", checked.getString("step"));
    assertEquals("blocked", checked.getString("status"));
    assertTrue(checked.getString("blocked_reason").contains("no_attempts_in_flight FAILED"),
        checked.getString("blocked_reason"));
    JsonObject again = advance(b, id, "re-enable anyway?");
    assertEquals("drain_check", again.getString("step"), "an approval retries the check, it never skips it");
    assertEquals("blocked", again.getString("status"));
    assertEquals("chat-v1", served(a, "acme"));
    assertEquals("chat-internal-v0", served(b, "internal"));
    // AND the hanging request itself ends by its provider's first-byte timeout, not by the drill
    assertEquals(504, hanging.await());
  }

  @Test
  void aStepClaimedByAMemberThatDied_isTakenOverOnceStale_butAFreshClaimIsRespected() {
    Member a = cluster.join();
    String id = ok(a.admin("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("reason", "drill"))).getString("id");
    io.vertx.core.shareddata.AsyncMap<String, String> drills = a.vertx().sharedData()
        .<String, String>getAsyncMap(DrillStore.MAP).await();
    JsonObject stored = new JsonObject(drills.get(id).await());

    // GIVEN a claim made a moment ago by another member: respected
    drills.put(id, stored.copy().put("status", "running").put("running_since_ms", System.currentTimeMillis())
        .put("claimed_from", "awaiting_approval").encode()).await();
    assertEquals(409, a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "go")
        .put("expected_step", "probes")).status());

    // GIVEN a claim older than any step can last (its member died mid-step): taken over
    drills.put(id, stored.copy().put("status", "running").put("running_since_ms", System.currentTimeMillis()
        - 16 * 60_000L).put("claimed_from", "awaiting_approval").encode()).await();
    JsonObject advanced = advance(a, id, "the member that held it is gone");
    assertEquals("probes", advanced.getString("step"));
    assertEquals("awaiting_approval", advanced.getString("status"));
  }

  /** Approves the drill's next step, as the drill names it ({@code next_step}). */
  private static final java.util.Set<String> ABBREVIATIONS = java.util.Set.of("n", "q", "e", "l", "r", "f", "a", "u",
      "pt", "ct", "c", "ac", "af", "s");

  private static void assertNoAbbreviatedKeys(Object value, String path) {
    if (value instanceof JsonObject o) {
      o.forEach(e -> {
        assertTrue(!ABBREVIATIONS.contains(e.getKey()), "abbreviated key at " + path + "." + e.getKey());
        assertNoAbbreviatedKeys(e.getValue(), path + "." + e.getKey());
      });
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        assertNoAbbreviatedKeys(a.getValue(i), path + "[" + i + "]");
      }
    }
  }

  private JsonObject advance(Member m, String id, String reason) {
    String next = ok(m.admin("/admin/drills/" + id, null)).getString("next_step");
    return ok(m.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", reason)
        .put("expected_step", next)));
  }

  private static JsonObject ok(TestHttp.Response response) {
    assertEquals(200, response.status(), response.text());
    return response.json();
  }

  private String served(Member m, String client) {
    return chat(m, client).header("x-turnout-route-version");
  }

  /** Requests answered per route version, as the responses said: what the evidence must count. */
  private final java.util.Map<String, Long> answeredBy = new java.util.concurrent.ConcurrentHashMap<>();

  private TestHttp.Response chat(Member m, String client) {
    TestHttp.Response r = m.http().chat(ChatRequests.plain("chat"), MultiMap.caseInsensitiveMultiMap()
        .add("authorization", "Bearer client-" + client));
    String version = r.header("x-turnout-route-version");
    if (version != null) {
      answeredBy.merge(version, 1L, Long::sum);
    }
    return r;
  }

  private void send(Member m, String client, int count) {
    for (int i = 0; i < count; i++) {
      TestHttp.Response r = chat(m, client);
      assertNotNull(r.header("x-turnout-route-version"), r.text());
    }
  }
}
