package io.turnout.controlplane.drills;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.malformed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an on-call operator relies on, on a real two-member cluster: an approval approves exactly
 * the step it names, a refused command leaves no claim, the drain check passes once attempts that
 * straddled the rollback ended (or were cancelled), every member's report copy is current, a drill
 * that proves nothing is refused at start, and failed probes are named.
 */
class DrillApprovalsEndToEndTest {

  private static final String ROUTES = io.turnout.testing.DrillRoutes.with("""
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
      """);

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    sim.script("primary", new JsonObject().put("latency_ms", 30));
    sim.script("cometapi", new JsonObject().put("latency_ms", 30));
    // A relative report_dir: each member writes its own copy under its own directory.
    cluster = new TestCluster(sim, io.turnout.testing.TestNode.CLIENTS + """
        gates:
          tick_ms: 100
          bucket_ms: 500
        drills:
          report_dir: reports
          drain_grace_ms: 200
          min_samples: 5
          auto_fallback: {require_drill: false}
        """, ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void anApprovalApprovesOneStep_aResentOneGets409AndChangesNothing() {
    Member a = cluster.join();
    Member b = cluster.join();
    java.util.List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.vertx().eventBus().<JsonObject>consumer(DrillCommands.EVENTS, m -> events.add(m.body())).completion().await();
    String id = startDrill(a, "chat-canary", true);

    TestHttp.Response missing = a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "go"));
    assertEquals(400, missing.status(), missing.text());
    assertEquals("expected_step", missing.json().getJsonObject("error").getString("param"));

    JsonObject probed = approve(a, id, "probes", "contract first");
    assertEquals("probes", probed.getString("step"));
    assertEquals("internal", probed.getString("next_step"));
    assertTrue(probed.getJsonArray("next_step_checks").getString(0).contains("chat-internal-v1"),
        probed.encodePrettily());

    // WHEN the same approval arrives again (a retry after a proxy timeout, a double click), on either member
    for (Member m : new Member[] {a, b, a, b}) {
      TestHttp.Response resent = m.admin("/admin/drills/" + id + "/advance", new JsonObject()
          .put("reason", "contract first").put("expected_step", "probes"));
      assertEquals(409, resent.status(), resent.text());
      assertEquals("step_mismatch", resent.json().getJsonObject("error").getString("code"));
    }

    // THEN nothing moved: the drill still waits for its internal step, and no traffic changed
    JsonObject after = ok(b.admin("/admin/drills/" + id, null));
    assertEquals("probes", after.getString("step"));
    assertEquals("awaiting_approval", after.getString("status"));
    assertEquals(2, after.getJsonArray("steps").size());
    assertEquals("chat-internal-v0", served(a, "internal"));
    assertEquals("chat-v1", served(a, "acme"));
    // AND each change was announced cluster-wide, saying what the next approval is (refusals announce nothing)
    Eventually.await(simVertx, "the probes step announced", 5_000, () -> events.size() == 2);
    JsonObject probesEvent = events.get(1);
    assertEquals("drill", probesEvent.getString("type"));
    assertEquals(id, probesEvent.getString("id"));
    assertEquals("probes", probesEvent.getString("step"));
    assertEquals("awaiting_approval", probesEvent.getString("status"));
    assertEquals("internal", probesEvent.getString("next_step"));
    assertEquals("chat", probesEvent.getJsonObject("scope").getString("model_alias"));
    assertNotNull(probesEvent.getString("node"));
  }

  @Test
  void aRefusedCommandLeavesNoClaim_andAClaimRefusalSaysWhoHoldsItUntilWhen() {
    Member a = cluster.join();
    String id = startDrill(a, "chat-canary", false);

    assertEquals(400, a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("expected_step", "probes"))
        .status());
    assertEquals(400, a.admin("/admin/drills/" + id + "/abort", new JsonObject()).status());
    assertEquals(409, a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "x")
        .put("expected_step", "canary")).status());
    JsonObject still = ok(a.admin("/admin/drills/" + id, null));
    assertEquals("awaiting_approval", still.getString("status"), still.encodePrettily());
    assertFalse(still.containsKey("claimed_by"));
    assertEquals("probes", approve(a, id, "probes", "now properly").getString("step"));

    // GIVEN another member's fresh claim
    io.vertx.core.shareddata.AsyncMap<String, String> drills = a.vertx().sharedData()
        .<String, String>getAsyncMap(DrillStore.MAP).await();
    JsonObject stored = new JsonObject(drills.get(id).await());
    drills.put(id, stored.copy().put("status", "running").put("running_since_ms", System.currentTimeMillis())
        .put("claimed_from", "awaiting_approval").put("claimed_by", "member-x").encode()).await();
    TestHttp.Response held = a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "go")
        .put("expected_step", "internal"));
    assertEquals(409, held.status());
    JsonObject error = held.json().getJsonObject("error");
    assertEquals("drill_claimed", error.getString("code"));
    assertTrue(Pattern.compile("claimed_by member-x, claim_expires_at 20\\d\\d-").matcher(error.getString("message"))
        .find(), error.getString("message"));
  }

  @Test
  void anAttemptThatStraddlesTheRollback_isWaitedFor_thenTheDrainCheckPasses() {
    Member a = cluster.join();
    Member b = cluster.join();
    String id = toInternal(a, b);

    // GIVEN an internal request stuck on CometAPI (the fallback route) across the rollback
    sim.failAlways("cometapi", fault("hang"));
    Future<Integer> hanging = internalRequest(b);
    Eventually.await(simVertx, "the attempt is in flight cluster-wide", 5_000, () -> ok(a.admin("/admin/gates", null))
        .getJsonObject("in_flight").getLong("chat-internal-v1", 0L) == 1);
    approve(a, id, "canary", "canary");
    approve(a, id, "rollback", "roll back");

    // WHEN the drain check runs while it is still in flight: it waits for it, and says so
    JsonObject waiting = approve(a, id, "drain_check", "drain?");
    assertEquals("blocked", waiting.getString("status"));
    assertTrue(waiting.getString("blocked_reason").contains("waiting for 1 attempt(s) in flight on"),
        waiting.getString("blocked_reason"));
    assertEquals("drain_check", waiting.getString("next_step"));

    // THEN once it ended (after the rollback settled) it is no new attempt: the check passes
    assertEquals(504, hanging.await());
    JsonObject drained = Eventually.value(simVertx, "a clean drain check", 10_000, () -> {
      send(b, "acme", 1);
      JsonObject checked = approve(a, id, "drain_check", "drain now?");
      return "awaiting_approval".equals(checked.getString("status")) ? checked : null;
    });
    assertEquals("reenable", drained.getString("next_step"));
  }

  @Test
  void onTheOperatorsWord_theDrainCheckCancelsAttemptsInFlight_andPasses() {
    Member a = cluster.join();
    Member b = cluster.join();
    String id = toInternal(a, b);
    sim.failAlways("cometapi", fault("hang"));
    int before = sim.requests("cometapi").size();
    Future<Integer> hanging = internalRequest(b);
    // (quickly: the hanging attempt ends by its first-byte timeout, 2 s, unless cancelled first)
    Eventually.await(simVertx, "the attempt reached CometAPI", 5_000, () -> sim.requests("cometapi").size() > before);
    approve(a, id, "canary", "canary");
    approve(a, id, "rollback", "roll back");

    JsonObject drained = Eventually.value(simVertx, "a clean drain check", 10_000, () -> {
      JsonObject checked = ok(a.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "cancel them")
          .put("expected_step", "drain_check").put("cancel_in_flight", true)));
      return "awaiting_approval".equals(checked.getString("status")) ? checked : null;
    });

    assertEquals("drain_check", drained.getString("step"));
    // the cancelled request was planned again on the version in force, and answered from there
    assertEquals(200, hanging.await());
  }

  @Test
  void everyMembersReportCopy_showsTheDrillsCurrentState_withTheProbeRunsItReliedOn() throws Exception {
    Member a = cluster.join();
    Member b = cluster.join();
    String id = startDrill(a, "chat-canary", false);
    approve(a, id, "probes", "probes");
    approve(a, id, "internal", "skip");

    for (Member m : new Member[] {a, b}) {
      Path json = m.dir().resolve("reports").resolve(id + ".json");
      Eventually.await(simVertx, m.dir() + "'s copy is current", 5_000, () -> "internal".equals(read(json)
          .getString("step")));
      String html = Files.readString(m.dir().resolve("reports").resolve(id + ".html"));
      JsonObject copy = new JsonObject(Files.readString(json));
      String runId = copy.getJsonArray("probe_runs").getJsonObject(0).getString("run_id");
      assertNotNull(runId);
      assertTrue(html.contains(runId) && html.contains("Probe runs the drill relied on"), html);
    }
    TestHttp.Response page = b.admin("/admin/drills/" + id + "/report", null);
    assertEquals(200, page.status());
    assertTrue(page.text().startsWith("<!doctype html>") && !page.text().contains("<script"));
  }

  @Test
  void aDrillThatCannotProveAnything_isRefusedAtStart() {
    Member a = cluster.join();
    for (String canary : new String[] {"chat-v2", "chat-v1", "chat-nope"}) {
      TestHttp.Response refused = a.admin("/admin/drills", new JsonObject().put("model_alias", "chat")
          .put("canary_version", canary).put("reason", "drill"));
      assertEquals(400, refused.status(), canary + ": " + refused.text());
      assertEquals("canary_version", refused.json().getJsonObject("error").getString("param"), canary);
    }
    assertEquals(0, ok(a.admin("/admin/drills", null)).getJsonArray("drills").size());
  }

  @Test
  void failedProbes_nameTheVersionsProbesAndClasses() {
    Member a = cluster.join();
    String id = startDrill(a, "chat-canary", false);
    sim.failAlways("cometapi", malformed("missing_choices"));

    JsonObject blocked = approve(a, id, "probes", "contract first");

    assertEquals("blocked", blocked.getString("status"));
    String reason = blocked.getString("blocked_reason");
    assertTrue(reason.startsWith("probes failed for [chat-canary]: chat-canary: "), reason);
    assertTrue(reason.contains("malformed_response on fallback cometapi"), reason);
    JsonObject failure = blocked.getJsonArray("probe_runs").getJsonObject(0).getJsonArray("failures")
        .getJsonObject(0);
    assertEquals("malformed_response", failure.getString("error_class"));
    assertTrue(reason.contains(failure.getString("probe") + ": malformed_response"), reason);
  }

  // --- helpers ---

  private static JsonObject read(Path file) {
    try {
      return Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String toInternal(Member a, Member b) {
    String id = startDrill(a, "chat-canary", true);
    approve(a, id, "probes", "probes");
    approve(a, id, "internal", "internal");
    Eventually.await(simVertx, "B serves the internal cohort from CometAPI", 5_000,
        () -> "chat-internal-v1".equals(served(b, "internal")));
    return id;
  }

  private Future<Integer> internalRequest(Member m) {
    return m.http().raw().request(HttpMethod.POST, "/v1/chat/completions")
        .compose(r -> r.putHeader("content-type", "application/json").putHeader("authorization", "Bearer client-internal")
            .send(ChatRequests.plain("chat").toBuffer()))
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  private String startDrill(Member m, String canary, boolean internal) {
    JsonObject body = new JsonObject().put("model_alias", "chat").put("canary_version", canary)
        .put("reason", "drill");
    if (internal) {
      body.put("internal_version", "chat-internal-v1");
    }
    return ok(m.admin("/admin/drills", body)).getString("id");
  }

  private static JsonObject approve(Member m, String id, String step, String reason) {
    return ok(m.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", reason)
        .put("expected_step", step)));
  }

  private static JsonObject ok(TestHttp.Response response) {
    assertEquals(200, response.status(), response.text());
    return response.json();
  }

  private static String served(Member m, String client) {
    return m.http().chat(ChatRequests.plain("chat"), MultiMap.caseInsensitiveMultiMap()
        .add("authorization", "Bearer client-" + client)).header("x-turnout-route-version");
  }

  private static void send(Member m, String client, int count) {
    for (int i = 0; i < count; i++) {
      assertNotNull(served(m, client));
    }
  }
}
