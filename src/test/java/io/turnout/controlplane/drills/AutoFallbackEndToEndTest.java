package io.turnout.controlplane.drills;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic fallback needs a drill on record: a version fails over to its fallback route by
 * itself only after a passed probe run and a complete drill of that route, or an operator's
 * audited override; until then the primary's failure is the answer and nothing reaches the
 * fallback provider.
 */
class AutoFallbackEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-pwf, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-canary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.5, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-pwf, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-pwf}
      """;

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    sim.script("primary", new JsonObject().put("latency_ms", 30));
    sim.script("cometapi", new JsonObject().put("latency_ms", 30));
    cluster = new TestCluster(sim, """
        gates:
          tick_ms: 100
          bucket_ms: 500
        drills:
          report_dir: %s
          drain_grace_ms: 200
          min_samples: 5
        """.formatted(Files.createTempDirectory("turnout-drills")), ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void withoutACleanDrill_noAutomaticFallback_afterTheDrill_automaticFallback() {
    Member a = cluster.join();
    JsonObject status = Eventually.value(simVertx, "the status is computed", 5_000, () -> {
      JsonObject versions = ok(a.admin("/admin/auto-fallback", null)).getJsonObject("versions");
      return versions.containsKey("chat-pwf") ? versions.getJsonObject("chat-pwf") : null;
    });
    assertFalse(status.getBoolean("automatic"));
    assertTrue(status.getString("reason").contains("no complete drill"), status.encode());

    // WHEN the primary fails before any drill
    sim.failAlways("primary", status(500));
    TestHttp.Response refused = a.http().chat(ChatRequests.plain("chat"));

    // THEN the primary's failure is the answer, and nothing reached the fallback provider
    assertEquals(502, refused.status(), refused.text());
    assertEquals("primary", refused.header("x-turnout-provider"));
    assertTrue(sim.requests("cometapi").isEmpty());

    // WHEN a drill of the fallback route completes
    sim.script("primary", new JsonObject().put("latency_ms", 30));
    completeDrill(a);
    activate(a, "chat-pwf");
    Eventually.await(simVertx, "chat-pwf cleared for automatic fallback", 10_000,
        () -> ok(a.admin("/admin/auto-fallback", null)).getJsonObject("versions").getJsonObject("chat-pwf")
            .getBoolean("automatic"));

    // THEN the same failure fails over by itself
    sim.failAlways("primary", status(500));
    TestHttp.Response failedOver = a.http().chat(ChatRequests.plain("chat"));
    assertEquals(200, failedOver.status(), failedOver.text());
    assertEquals("cometapi", failedOver.header("x-turnout-provider"));
  }

  @Test
  void anOperatorsOverride_allowsAutomaticFallback_andIsAudited() {
    Member a = cluster.join();
    sim.failAlways("primary", status(500));
    assertEquals(502, a.http().chat(ChatRequests.plain("chat")).status());

    TestHttp.Response override = a.admin("/admin/scopes/auto-fallback", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("enabled", true).put("reason", "INC-7: primary down, drill scheduled"));
    assertEquals(200, override.status(), override.text());
    assertEquals("auto_fallback", override.json().getString("action"));
    assertEquals("alice", override.json().getString("operator"));

    TestHttp.Response failedOver = a.http().chat(ChatRequests.plain("chat"));
    assertEquals(200, failedOver.status(), failedOver.text());
    assertEquals("cometapi", failedOver.header("x-turnout-provider"));

    assertEquals(200, a.admin("/admin/scopes/auto-fallback", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("enabled", false).put("reason", "INC-7 closed")).status());
    assertEquals(502, a.http().chat(ChatRequests.plain("chat")).status());
  }

  private void completeDrill(Member a) {
    String id = ok(a.admin("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("reason", "prove CometAPI"))).getString("id");
    for (String step : new String[] {"probes", "internal", "canary"}) {
      JsonObject drill = advance(a, id, step);
      assertEquals("awaiting_approval", drill.getString("status"), drill.encodePrettily());
    }
    send(a, 10);
    advance(a, id, "rollback");
    Eventually.await(simVertx, "a clean drain check", 10_000, () -> {
      send(a, 3);
      return "awaiting_approval".equals(advance(a, id, "drain").getString("status"));
    });
    Eventually.await(simVertx, "complete", 10_000, () -> {
      send(a, 3);
      return "complete".equals(advance(a, id, "re-enable").getString("step"));
    });
  }

  private static void activate(Member m, String version) {
    ok(m.admin("/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat")
        .put("route_version", version).put("reason", "back to the tested route")));
  }

  private static JsonObject advance(Member m, String id, String reason) {
    String next = ok(m.admin("/admin/drills/" + id, null)).getString("next_step");
    return ok(m.admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", reason)
        .put("expected_step", next)));
  }

  private static void send(Member m, int count) {
    for (int i = 0; i < count; i++) {
      assertEquals(200, m.http().chat(ChatRequests.plain("chat")).status());
    }
  }

  private static JsonObject ok(TestHttp.Response response) {
    assertEquals(200, response.status(), response.text());
    return response.json();
  }
}
