package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Only approved cohorts go to the fallback (runbook section 4): the cohort comes from the
 * caller's key, never from anything the caller sends, so no client can route itself into the
 * internal cohort's cutover.
 */
@ExtendWith(VertxExtension.class)
class CohortEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-internal-v1, environment: production, tenant_or_cohort: internal, model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: internal, model_alias: chat, route_version: chat-internal-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000) + TestNode.CLIENTS, ROUTES);
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
  void internalKey_isRoutedByTheInternalCohortsPointer_toTheFallback() {
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-internal"));

    assertEquals(200, response.status(), response.text());
    assertEquals("chat-internal-v1", response.header("x-turnout-route-version"));
    assertEquals("fallback", response.header("x-turnout-route"));
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertSeen(0, 1);
  }

  @Test
  void tenantKey_withoutAPointerOfItsOwn_isRoutedByTheSharedPointer_toThePrimary() {
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-acme"));

    assertEquals(200, response.status(), response.text());
    assertEquals("chat-v1", response.header("x-turnout-route-version"));
    assertEquals("primary", response.header("x-turnout-route"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertSeen(1, 0);
  }

  @Test
  void aCallerCannotChooseItsCohort_byHeaderOrBody() {
    // GIVEN the acme key, and every way a client might try to claim the internal cohort
    MultiMap headers = ChatRequests.bearer("client-acme")
        .add("x-turnout-cohort", "internal")
        .add("x-turnout-tenant", "internal")
        .add("x-tenant-id", "internal")
        .add("x-turnout-stable-key", "internal");

    // WHEN it asks, with the cohort in the body as well
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat").put("user", "internal")
        .put("metadata", new JsonObject().put("cohort", "internal")), headers);

    // THEN it is routed as acme: the shared pointer, the primary
    assertEquals(200, response.status(), response.text());
    assertEquals("chat-v1", response.header("x-turnout-route-version"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertSeen(1, 0);
  }

  @Test
  void missingKey_is401_andNothingGoesUpstream() {
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"));

    assertEquals(401, response.status(), response.text());
    assertEquals("invalid_api_key", response.json().getJsonObject("error").getString("code"));
    assertSeen(0, 0);
  }

  @Test
  void unknownKey_is401_andNothingGoesUpstream() {
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-internal2"));

    assertEquals(401, response.status(), response.text());
    assertEquals("invalid_api_key", response.json().getJsonObject("error").getString("code"));
    assertSeen(0, 0);
  }

  private static void assertSeen(int primary, int cometapi) {
    assertEquals(primary, sim.requests("primary").size(), "requests the primary saw");
    assertEquals(cometapi, sim.requests("cometapi").size(), "requests the fallback saw");
  }
}
