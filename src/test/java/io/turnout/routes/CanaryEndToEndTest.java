package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A canary route sends a hashed share of end users to the fallback first: the share holds over
 * many users, a user stays on one route from request to request, and every node agrees on who
 * is in, because membership is a fixed hash and not a per-node random draw.
 */
@ExtendWith(VertxExtension.class)
class CanaryEndToEndTest {

  private static final double SHARE = 0.2;

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-canary-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.2, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-canary-v2}
      """;

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
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
  void aThousandUsers_aboutTheCanaryShareIsServedByTheFallback() {
    // WHEN 1,000 different end users ask once each
    int canary = 0;
    for (int i = 0; i < 1_000; i++) {
      TestHttp.Response response = node.http().chat(ChatRequests.forUser("chat", "user-" + i));
      assertEquals(200, response.status(), response.text());
      assertEquals("chat-canary-v2", response.header("x-turnout-route-version"));
      boolean inCanary = "true".equals(response.header("x-turnout-canary"));
      // THEN a canary request is served by the fallback first, everyone else by the primary
      assertEquals(inCanary ? "fallback" : "primary", response.header("x-turnout-route"));
      assertEquals(inCanary ? "cometapi" : "primary", response.header("x-turnout-provider"));
      assertEquals("none", response.header("x-turnout-fallback"));
      canary += inCanary ? 1 : 0;
    }

    // AND the canary share is close to the configured one
    double share = canary / 1_000.0;
    assertTrue(Math.abs(share - SHARE) <= 0.05, "canary share " + share);
    assertEquals(canary, sim.requests("cometapi").size());
    assertEquals(1_000 - canary, sim.requests("primary").size());
  }

  @Test
  void aUserStaysOnTheirRoute() {
    // GIVEN 50 users and the route each got on a first request
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      first.put("sticky-" + i, route(node, "sticky-" + i));
    }
    assertTrue(first.containsValue("fallback") && first.containsValue("primary"),
        "both routes are exercised: " + first);

    // WHEN each asks again THEN each gets the same route
    first.forEach((user, route) -> assertEquals(route, route(node, user), user));
  }

  @Test
  void twoNodesRouteEveryUserTheSameWay() {
    // GIVEN a second node, started independently with the same route map
    TestNode other = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000), ROUTES);
    try {
      int canary = 0;
      for (int i = 0; i < 200; i++) {
        // WHEN the same user asks each node THEN both nodes choose the same route
        String user = "shared-" + i;
        String route = route(node, user);
        assertEquals(route, route(other, user), user);
        canary += "fallback".equals(route) ? 1 : 0;
      }
      assertTrue(canary > 0 && canary < 200, "both routes are exercised: " + canary + " of 200 in the canary");
    } finally {
      other.stop();
    }
  }

  private static String route(TestNode target, String user) {
    TestHttp.Response response = target.http().chat(ChatRequests.forUser("chat", user));
    assertEquals(200, response.status(), response.text());
    assertEquals(String.valueOf("fallback".equals(response.header("x-turnout-route"))),
        response.header("x-turnout-canary"));
    return response.header("x-turnout-route");
  }
}
