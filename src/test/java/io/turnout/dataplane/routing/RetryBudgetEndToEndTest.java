package io.turnout.dataplane.routing;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node-wide retry budget keeps a failing provider from turning every request into two: with a
 * 10% ratio, no floor and at most 5 banked tokens, 100 requests to a provider that always fails
 * earn about 10 retries, whatever the route's retry policy would allow.
 */
@ExtendWith(VertxExtension.class)
class RetryBudgetEndToEndTest {

  private static final int REQUESTS = 100;

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 10000, rollback_route_version: chat-v1,
           owner: tests, retry_policy: {max_retries: 1, backoff_ms: 0}}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  private Sim sim;
  private TestNode node;

  @BeforeEach
  void start(Vertx vertx) {
    sim = Sim.start(vertx);
    String yaml = TestNode.replace(TestNode.config(sim, 1_000, 1_000, 5_000), TestNode.ROUTING,
        "routing: {watch: false, retry_budget: {ratio: 0.1, floor_per_second: 0, max_balance: 5}}\n");
    node = TestNode.start(vertx, yaml, ROUTES);
  }

  @AfterEach
  void stop() {
    node.stop();
  }

  @Test
  void retriesOfAnAlwaysFailingPrimaryAreCappedByTheBudget() {
    // GIVEN a primary that answers every request with a 500, and a policy that would retry each once
    sim.failAlways("primary", status(500));

    // WHEN 100 requests arrive one after the other
    int retried = 0;
    for (int i = 0; i < REQUESTS; i++) {
      TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"));
      assertEquals(502, response.status(), response.text());
      retried += "2".equals(response.header("x-turnout-attempts")) ? 1 : 0;
    }

    // THEN some requests were retried, but no more than the budget earned (10%) plus what it banks (5)
    int seen = sim.requests("primary").size();
    assertTrue(seen > REQUESTS, "some retries happened: the primary saw " + seen);
    assertTrue(seen <= REQUESTS + REQUESTS / 10 + 5, "retries were capped: the primary saw " + seen);
    assertEquals(REQUESTS + retried, seen, "every extra upstream request is a retry the client was told about");
    assertEquals(REQUESTS - retried, node.node().retryBudget().exhaustedCount(),
        "every request not retried was refused by the budget, not by the policy");
  }

  @Test
  void aRetry_sendsTheSameBodyAsTheFirstAttempt(Vertx vertx) {
    // GIVEN a budget with tokens from the start, and a primary that fails once, then answers
    node.stop();
    node = TestNode.start(vertx, TestNode.replace(TestNode.config(sim, 1_000, 1_000, 5_000), TestNode.ROUTING,
        "routing: {watch: false, retry_budget: {ratio: 0.1, floor_per_second: 10, max_balance: 5}}\n"), ROUTES);
    sim.failNext("primary", status(500), 1);

    // WHEN a request is retried (its upstream body is encoded once and sent twice)
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"));

    assertEquals(200, response.status(), response.text());
    assertEquals("2", response.header("x-turnout-attempts"));
    JsonArray seen = sim.requests("primary");
    assertEquals(2, seen.size());
    assertEquals(seen.getJsonObject(0).getJsonObject("body"), seen.getJsonObject(1).getJsonObject("body"));
    assertEquals("gpt-4o-mini-2024-07-18", seen.getJsonObject(1).getString("model"));
  }

  @Test
  void aBudgetThatCannotBankAToken_isRefusedAtLoadWithItsPath(Vertx vertx) {
    // GIVEN a config whose retry budget could never hold a ratio token
    String yaml = TestNode.replace(TestNode.config(sim, 1_000, 1_000, 5_000), TestNode.ROUTING,
        "routing: {watch: false, retry_budget: {ratio: 0.1, floor_per_second: 0, max_balance: 0}}\n");

    // WHEN a node is started from it THEN the config is refused, naming the field, before anything starts
    ConfigException e = assertThrows(ConfigException.class, () -> TestNode.start(vertx, yaml, ROUTES));
    assertEquals("routing.retry_budget.max_balance", e.path(), e.getMessage());
  }
}
