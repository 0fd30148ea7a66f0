package io.turnout.routes;

import static io.turnout.testing.Faults.fault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hanging primary never holds the client past the route's {@code timeout_ms}: the one deadline
 * covers the attempt, its retry and the fallback. Elapsed times are upper bounds with a margin for
 * a slow machine, not benchmarks.
 */
@ExtendWith(VertxExtension.class)
class DeadlineEndToEndTest {

  private static final long TIMEOUT_MS = 1_500;
  private static final long MARGIN_MS = 750;

  private static final String ROUTES = """
      aliases:
        chat-with-fallback: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: pwf-v1}
        chat-primary-only: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: po-v1}
      routes:
        - {route_version: pwf-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-with-fallback,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 1500,
           rollback_route_version: pwf-v1, owner: tests}
        - {route_version: po-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-primary-only,
           mode: primary_only, primary_provider: primary, timeout_ms: 1500, rollback_route_version: po-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-with-fallback, route_version: pwf-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-primary-only, route_version: po-v1}
      """;

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 400, 400, 10_000), ROUTES);
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
  void hangingPrimaryWithFallback_clientGetsTheFallbacksAnswerWithinTheDeadline() {
    // GIVEN a primary that never answers (first-byte timeout 400 ms, route deadline 1500 ms)
    sim.failAlways("primary", fault("hang"));

    // WHEN a client asks
    long started = System.nanoTime();
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat-with-fallback"));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;

    // THEN the fallback answers, after the primary timed out twice, within the deadline
    assertEquals(200, response.status(), response.text());
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals("fallback", response.header("x-turnout-route"));
    assertEquals("timeout", response.header("x-turnout-fallback"));
    assertEquals("3", response.header("x-turnout-attempts"));
    assertTrue(elapsedMs < TIMEOUT_MS + MARGIN_MS, "answered after " + elapsedMs + " ms");
    assertEquals(2, sim.requests("primary").size());
    assertEquals(1, sim.requests("cometapi").size());
  }

  @Test
  void hangingPrimaryOnly_clientGets504WithinTheDeadline_andNoUpstreamRequestIsLeftOpen() {
    // GIVEN a primary that never answers and no fallback
    sim.failAlways("primary", fault("hang"));

    // WHEN a client asks
    long started = System.nanoTime();
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat-primary-only"));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;

    // THEN a timeout, within the deadline, and the node closed both hanging upstream requests
    assertEquals(504, response.status(), response.text());
    assertEquals("timeout", response.header("x-turnout-error-class"));
    assertEquals("2", response.header("x-turnout-attempts"));
    assertTrue(elapsedMs < TIMEOUT_MS + MARGIN_MS, "answered after " + elapsedMs + " ms");
    Eventually.await(vertx, "no upstream exchange left open", 3_000,
        () -> sim.stats("primary").getInteger("open_exchanges") == 0);
  }

  @Test
  void routeDeadlineCutsAnAttemptWhoseProviderTimeoutIsLonger(Vertx vertx) {
    // GIVEN a node whose provider would wait 10 s for a first byte, behind a 1500 ms route deadline
    TestNode patient = TestNode.start(vertx, TestNode.config(sim, 10_000, 10_000, 30_000), ROUTES);
    sim.failAlways("primary", fault("hang"));
    try {
      // WHEN a client asks
      long started = System.nanoTime();
      TestHttp.Response response = patient.http().chat(ChatRequests.plain("chat-primary-only"));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      // THEN the route deadline, not the provider's timeout, ends the request
      assertEquals(504, response.status(), response.text());
      assertTrue(elapsedMs < TIMEOUT_MS + MARGIN_MS, "answered after " + elapsedMs + " ms");
      assertEquals("1", response.header("x-turnout-attempts"), "no retry once the deadline has passed");
    } finally {
      patient.stop();
    }
  }
}
