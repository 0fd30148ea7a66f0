package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A disabled scope stops its traffic at the node: clients get a 503 that says which scope is
 * off and why, and no provider sees a request, plain or streaming.
 */
@ExtendWith(VertxExtension.class)
class DisabledRouteEndToEndTest {

  private static final String REASON = "Paused by on-call during INC-4711";

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           enabled_features: [stream], rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-off-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: disabled, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1, owner: tests,
           disabled_reason: "Paused by on-call during INC-4711"}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-off-v2}
      """;

  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000), ROUTES);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @Test
  void disabledScope_is503NamingTheScopeAndTheReason_andNothingReachesAProvider() {
    for (JsonObject request : new JsonObject[] {ChatRequests.plain("chat"), ChatRequests.stream("chat")}) {
      // WHEN a client asks a disabled scope
      TestHttp.Response response = node.http().chat(request);

      // THEN a 503 in OpenAI's shape that names the scope, the version and the reason
      assertEquals(503, response.status(), response.text());
      assertEquals("application/json", response.header("content-type"));
      JsonObject error = response.json().getJsonObject("error");
      assertEquals("route_disabled", error.getString("code"));
      assertEquals("api_error", error.getString("type"));
      String message = error.getString("message");
      assertTrue(message.contains("production/*/chat"), message);
      assertTrue(message.contains(REASON), message);
      assertTrue(message.contains("chat-off-v2"), message);
      assertEquals("chat-off-v2", response.header("x-turnout-route-version"));
      // AND every routing header README promises, saying that no attempt ran
      assertEquals("0", response.header("x-turnout-attempts"));
      assertEquals("none", response.header("x-turnout-route"));
      assertEquals("none", response.header("x-turnout-provider"));
      assertEquals("none", response.header("x-turnout-fallback"));
      assertEquals("false", response.header("x-turnout-canary"));
      assertTrue(response.header("x-request-id") != null);
    }
    // AND no provider saw anything
    assertEquals(0, sim.requests("primary").size());
    assertEquals(0, sim.requests("cometapi").size());
  }

  @Test
  void theModelList_doesNotOfferAnAliasWhoseActiveVersionIsDisabled() {
    TestHttp.Response list = node.http().send(io.vertx.core.http.HttpMethod.GET, "/v1/models", null);
    assertEquals(200, list.status(), list.text());
    assertTrue(list.json().getJsonArray("data").stream()
        .noneMatch(m -> "chat".equals(((JsonObject) m).getString("id"))), list.text());
    assertEquals(404, node.http().send(io.vertx.core.http.HttpMethod.GET, "/v1/models/chat", null).status());
  }
}
