package io.turnout.routes;

import static io.turnout.testing.Faults.status;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request never reaches a provider whose contract for a feature it relies on was not verified
 * (runbook: a compatibility matrix per feature): such a provider is dropped from the plan, even as
 * a fallback, and when no provider is left the node answers 400 naming the parameter.
 */
@ExtendWith(VertxExtension.class)
class FeatureGateEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat-tools: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: tools-v1}
        chat-cutover: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: cutover-v1}
        chat-fallback-tools: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: ft-v1}
      routes:
        - {route_version: ft-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-fallback-tools,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           enabled_features: {primary: [], fallback: [tools]}, rollback_route_version: ft-v1, owner: tests}
        - {route_version: tools-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-tools,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           enabled_features: {primary: [tools], fallback: []}, rollback_route_version: tools-v1, owner: tests}
        - {route_version: cutover-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-cutover,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: cutover-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-tools, route_version: tools-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-cutover, route_version: cutover-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-fallback-tools, route_version: ft-v1}
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

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
    sim.reset("cometapi");
  }

  @Test
  void toolsRequest_whosePrimaryFails_doesNotFallBackToAProviderWithoutTools() {
    // GIVEN the primary fails the attempt and its retry
    sim.failNext("primary", status(500), 2);

    // WHEN a request with tools arrives on a route that verified tools on the primary only
    TestHttp.Response response = node.http().chat(ChatRequests.withTools("chat-tools"));

    // THEN the client gets the primary's failure, and the fallback never saw the request
    assertEquals(502, response.status(), response.text());
    assertEquals("upstream_5xx", response.header("x-turnout-error-class"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals("none", response.header("x-turnout-fallback"));
    assertEquals("2", response.header("x-turnout-attempts"));
    assertEquals(2, sim.requests("primary").size());
    assertTrue(sim.requests("cometapi").isEmpty(), "the fallback saw a tools request");
  }

  @Test
  void requestWithoutTools_onTheSameRoute_stillFallsBack() {
    // GIVEN the same failure
    sim.failNext("primary", status(500), 2);

    // WHEN a plain request arrives on the same route
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat-tools"));

    // THEN the fallback answers it: only the tools request was kept from it
    assertEquals(200, response.status(), response.text());
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals("upstream_5xx", response.header("x-turnout-fallback"));
    assertEquals(1, sim.requests("cometapi").size());
  }

  @Test
  void toolsRequest_whoseFeatureOnlyTheFallbackEnables_goesToTheFallback_andSaysWhy() {
    TestHttp.Response response = node.http().chat(ChatRequests.withTools("chat-fallback-tools"));

    assertEquals(200, response.status(), response.text());
    assertEquals("fallback", response.header("x-turnout-route"));
    assertEquals("feature_not_enabled", response.header("x-turnout-fallback"));
    assertTrue(sim.requests("primary").isEmpty(), "the primary does not enable tools");
  }

  @Test
  void toolsRequest_toARouteWhoseOnlyProviderLacksTools_is400ParamTools_andNothingGoesUpstream() {
    TestHttp.Response response = node.http().chat(ChatRequests.withTools("chat-cutover"));

    assertFeatureRejected(response, "tools");
  }

  @Test
  void streamRequest_toARouteWithoutStream_is400ParamStream_andNothingGoesUpstream() {
    TestHttp.Response response = node.http().chat(ChatRequests.stream("chat-cutover"));

    assertFeatureRejected(response, "stream");
  }

  private static void assertFeatureRejected(TestHttp.Response response, String param) {
    assertEquals(400, response.status(), response.text());
    assertEquals("application/json", response.header("content-type"));
    JsonObject error = response.json().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("feature_not_enabled", error.getString("code"));
    assertEquals(param, error.getString("param"));
    assertTrue(error.getString("message").contains("cutover-v1"), error.getString("message"));
    assertEquals("cutover-v1", response.header("x-turnout-route-version"));
    assertEquals("false", response.header("x-should-retry"), "a retry cannot help: tell the SDK not to");
    assertTrue(sim.requests("primary").isEmpty(), "the primary saw the request");
    assertTrue(sim.requests("cometapi").isEmpty(), "the fallback saw the request");
  }
}
