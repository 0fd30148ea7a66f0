package io.turnout.controlplane.drills;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A version without a clean drill fails over only by hand, and says so: the answer's
 * {@code x-turnout-fallback} and the log's {@code fallback_reason} are {@code manual_only};
 * {@code GET /admin/auto-fallback} shows an operator's override the moment it is in force.
 */
class ManualOnlyFallbackEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-pwf}
      routes:
        - {route_version: chat-pwf, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
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
    cluster = new TestCluster(sim, """
        drills:
          report_dir: %s
        """.formatted(Files.createTempDirectory("turnout-drills")), ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aManualOnlyVersionSaysWhyItDidNotFailOver_andTheOverrideShows() {
    Member a = cluster.join();
    sim.failAlways("primary", status(500));

    // WHEN the primary fails on a version without a clean drill
    TestHttp.Response refused;
    JsonObject line;
    try (LogCapture requestLog = LogCapture.logger("turnout.request")) {
      refused = a.http().chat(ChatRequests.plain("chat"), io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .add("x-request-id", "manual-only-1"));
      line = Eventually.value(simVertx, "the request line", 3_000, () -> requestLog.json().stream()
          .filter(l -> "manual-only-1".equals(l.getString("request_id"))).findFirst().orElse(null));
    }

    // THEN the primary's failure is the answer, and the answer and the log say the fallback is manual only
    assertEquals(502, refused.status(), refused.text());
    assertEquals("manual_only", refused.header("x-turnout-fallback"));
    assertFalse(line.getBoolean("fallback_attempted"), line.encode());
    assertEquals("manual_only", line.getString("fallback_reason"), line.encode());
    assertEquals("manual_only", line.getString("fallback_skipped_reason"), line.encode());
    assertTrue(sim.requests("cometapi").isEmpty());

    // WHEN an operator overrides it
    TestHttp.Response override = a.admin("/admin/scopes/auto-fallback", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("enabled", true).put("reason", "INC-9: primary down"));
    assertEquals(200, override.status(), override.text());

    // THEN the status shows the override in force, on the scope and under its version
    JsonObject status = a.admin("/admin/auto-fallback", null).json();
    JsonArray overrides = status.getJsonArray("overrides");
    assertEquals(1, overrides.size(), status.encodePrettily());
    assertEquals("chat-pwf", overrides.getJsonObject(0).getString("route_version"));
    assertTrue(overrides.getJsonObject(0).getString("override").contains("INC-9"), status.encodePrettily());
    JsonObject version = Eventually.value(simVertx, "the version's status", 10_000, () -> a.admin(
        "/admin/auto-fallback", null).json().getJsonObject("versions").getJsonObject("chat-pwf"));
    assertEquals(1, version.getJsonArray("overridden_in").size(), version.encode());
    // AND the failure now fails over by itself
    TestHttp.Response failedOver = a.http().chat(ChatRequests.plain("chat"));
    assertEquals(200, failedOver.status(), failedOver.text());
    assertEquals("upstream_5xx", failedOver.header("x-turnout-fallback"));
  }
}
