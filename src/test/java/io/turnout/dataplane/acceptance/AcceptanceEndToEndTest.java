package io.turnout.dataplane.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Output acceptance checks against the simulator: a structured answer that does not match the
 * requested schema leaves the client's answer alone, is counted per route version, and trips a gate
 * watching the acceptance failure rate; with {@code treat_as_failure} it fails the attempt instead.
 */
class AcceptanceEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
        strict: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: strict-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, enabled_features: [response_format, json_schema],
           timeout_ms: 30000, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-comet, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi,
           enabled_features: [response_format, json_schema], timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: strict-v1, environment: production, tenant_or_cohort: "*", model_alias: strict,
           mode: primary_only, primary_provider: primary, enabled_features: [response_format, json_schema],
           timeout_ms: 30000, rollback_route_version: strict-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: strict, route_version: strict-v1}
      """;
  private static final String CONFIG = """
      acceptance:
        chat: {json_schema: true}
        strict: {json_schema: true, treat_as_failure: true}
      gates:
        tick_ms: 100
        bucket_ms: 500
        rules:
          - {name: fallback_acceptance, signal: acceptance_failure_rate, above: 0.01, window_ms: 60000,
             min_samples: 1, action: stop_expansion}
      """;

  private Vertx simVertx;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    cluster = new TestCluster(Sim.start(simVertx), CONFIG, ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aStructuredAnswerThatBreaksItsSchema_isCounted_andTripsTheGate() {
    Member a = cluster.join();
    assertEquals(200, a.admin("/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", "chat-comet").put("reason", "canary")).status());

    // WHEN the fallback route answers prose where a JSON object matching the schema was asked for
    TestHttp.Response answer = a.http().chat(structured("chat"));

    // THEN the client gets the answer as it is
    assertEquals(200, answer.status(), answer.text());
    assertEquals("chat-comet", answer.header("x-turnout-route-version"));
    // AND the failure is counted for chat-comet and trips the gate watching the acceptance failure rate
    Eventually.await(simVertx, "the gate froze the scope", 5_000, () -> {
      JsonObject pointer = a.admin("/admin/routes", null).json().getJsonArray("pointers").getJsonObject(0);
      return "gate:fallback_acceptance".equals(pointer.getString("held_by")) && pointer.getBoolean("frozen", false);
    });
    JsonObject verdict = a.admin("/admin/gates", null).json().getJsonArray("verdicts").stream()
        .map(JsonObject.class::cast).filter(v -> "fallback_acceptance".equals(v.getString("gate"))).findFirst()
        .orElseThrow();
    assertEquals("chat-comet", verdict.getString("route_version"));
    assertEquals(1.0, verdict.getDouble("value"));
  }

  @Test
  void withTreatAsFailure_aFailedCheckFailsTheAttempt() {
    Member a = cluster.join();

    TestHttp.Response answer = a.http().chat(structured("strict"));

    assertEquals(502, answer.status(), answer.text());
    assertEquals("acceptance_failed", answer.json().getJsonObject("error").getString("code"));
    assertTrue(answer.json().getJsonObject("error").getString("message").contains("json_schema"));
  }

  private static JsonObject structured(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", "Classify the ticket.")))
        .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject()
            .put("name", "ticket").put("schema", new JsonObject().put("type", "object")
                .put("properties", new JsonObject().put("status", new JsonObject().put("type", "string")))
                .put("required", new JsonArray().add("status")))));
  }
}
