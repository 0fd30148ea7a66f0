package io.turnout.routes;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.testing.BusEvents;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-provider breaker: once a provider has failed {@code max_failures} times it is not
 * tried at all; a route with a fallback goes straight there (and says {@code breaker_open}), a
 * route without one answers 503 {@code circuit_open}. Opening is published on the bus.
 */
@ExtendWith(VertxExtension.class)
class BreakerEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
        chat-primary-only: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: po-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
        - {route_version: po-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-primary-only,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: po-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-primary-only, route_version: po-v1}
      """;

  private static Vertx vertx;
  private static Sim sim;
  private TestNode node;
  private BusEvents breakerEvents;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void startNode() {
    sim.reset("primary");
    sim.reset("cometapi");
    breakerEvents = BusEvents.record(vertx, ProviderBreakers.ADDRESS);
    String yaml = TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.BREAKER,
        "breaker:\n  max_failures: 2\n  reset_timeout_ms: 60000\n");
    node = TestNode.start(vertx, yaml, ROUTES);
  }

  @AfterEach
  void stopNode() {
    breakerEvents.close();
    node.stop();
  }

  @Test
  void openBreaker_sendsTheNextRequestStraightToTheFallback() {
    // GIVEN a request whose primary attempt and retry both fail: two failures open the breaker
    sim.failNext("primary", status(500), 2);
    TestHttp.Response first = node.http().chat(ChatRequests.plain("chat"));
    assertEquals(200, first.status(), first.text());
    assertEquals("upstream_5xx", first.header("x-turnout-fallback"));
    breakerEvents.await("the primary's breaker opened", 5_000, opened("primary"));

    // WHEN the next request arrives (the primary would answer it now)
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"));

    // THEN it goes straight to the fallback, without trying the primary
    assertEquals(200, response.status(), response.text());
    assertEquals("fallback", response.header("x-turnout-route"));
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals("breaker_open", response.header("x-turnout-fallback"));
    assertEquals("1", response.header("x-turnout-attempts"));
    assertEquals(2, sim.requests("primary").size(), "the primary saw no new request");
    assertEquals(2, sim.requests("cometapi").size());
  }

  @Test
  void openBreaker_withoutAFallback_is503CircuitOpen() {
    // GIVEN the primary failed twice on a route without a fallback
    sim.failNext("primary", status(500), 2);
    assertEquals(502, node.http().chat(ChatRequests.plain("chat-primary-only")).status());
    breakerEvents.await("the primary's breaker opened", 5_000, opened("primary"));

    // WHEN the next request arrives
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat-primary-only"));

    // THEN the node refuses it at once, and the primary is left alone
    assertEquals(503, response.status(), response.text());
    assertEquals("circuit_open", response.json().getJsonObject("error").getString("code"));
    assertEquals("upstream_5xx", response.header("x-turnout-error-class"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals(2, sim.requests("primary").size(), "the primary saw no new request");
  }

  @Test
  void breakerIsPerProviderForTheWholeNode() {
    // GIVEN the primary's breaker was opened by one alias's traffic
    sim.failNext("primary", status(500), 2);
    node.http().chat(ChatRequests.plain("chat"));
    breakerEvents.await("the primary's breaker opened", 5_000, opened("primary"));

    // WHEN another alias on the same provider is asked
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat-primary-only"));

    // THEN it meets the same open breaker; the fallback provider's breaker is untouched
    assertEquals(503, response.status(), response.text());
    assertEquals("circuit_open", response.json().getJsonObject("error").getString("code"));
    assertEquals(2, sim.requests("primary").size());
    assertEquals(0, breakerEvents.matching(e -> "cometapi".equals(e.getString("provider"))).size());
  }

  private Predicate<JsonObject> opened(String provider) {
    return e -> provider.equals(e.getString("provider")) && "open".equals(e.getString("state"))
        && node.node().id().equals(e.getString("node"));
  }
}
