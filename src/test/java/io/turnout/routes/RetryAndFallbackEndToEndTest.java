package io.turnout.routes;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.malformed;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Retry kept apart from fallback (runbook section 4), for every failure class in every serving
 * mode: auth, validation, content policy and malformed answers are never retried and never fall
 * back; 5xx, timeouts, network failures and short 429s are retried once on the same provider
 * (the default retry policy) and then fall back where the route has a fallback; a 429 that asks
 * for longer than the policy's limit skips the retry but still falls back.
 */
@ExtendWith(VertxExtension.class)
class RetryAndFallbackEndToEndTest {

  /** One alias per mode, each pinned on both providers, all with the default retry policy and fallback_on. */
  private static final String ROUTES = """
      aliases:
        chat-primary-only: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: po-v1}
        chat-with-fallback: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: pwf-v1}
        chat-fallback-only: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: fo-v1}
      routes:
        - {route_version: po-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-primary-only,
           mode: primary_only, primary_provider: primary, timeout_ms: 10000, rollback_route_version: po-v1, owner: tests}
        - {route_version: pwf-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-with-fallback,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 10000,
           rollback_route_version: pwf-v1, owner: tests}
        - {route_version: fo-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-fallback-only,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 10000,
           rollback_route_version: fo-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-primary-only, route_version: po-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-with-fallback, route_version: pwf-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-fallback-only, route_version: fo-v1}
      """;

  private static Sim sim;
  private static TestNode node;

  /**
   * A failure the simulator produces, as the client sees it when nothing rescues it.
   *
   * @param retried whether the default policy retries it once on the same provider
   * @param fallsBack whether a route with a fallback moves to it (default fallback_on)
   */
  record Failure(String name, JsonObject fault, boolean retried, boolean fallsBack, int status, String errorClass) {
    @Override
    public String toString() {
      return name;
    }
  }

  enum Mode {
    PRIMARY_ONLY("chat-primary-only", "po-v1"),
    PRIMARY_WITH_FALLBACK("chat-with-fallback", "pwf-v1"),
    FALLBACK_ONLY("chat-fallback-only", "fo-v1");

    final String alias;
    final String version;

    Mode(String alias, String version) {
      this.alias = alias;
      this.version = version;
    }
  }

  static final List<Failure> FAILURES = List.of(
      new Failure("401", status(401), false, false, 502, "auth"),
      new Failure("400", status(400), false, false, 400, "validation"),
      new Failure("400 content_filter", status(400).put("error_code", "content_filter"), false, false, 400,
          "content_policy"),
      new Failure("429 retry after 1s", status(429).put("retry_after_s", 1), true, true, 429, "rate_limited"),
      new Failure("429 retry after 30s", status(429).put("retry_after_s", 30), false, true, 429, "rate_limited"),
      new Failure("500", status(500), true, true, 502, "upstream_5xx"),
      new Failure("503", status(503), true, true, 502, "upstream_5xx"),
      new Failure("malformed missing_id", malformed("missing_id"), false, false, 502, "malformed_response"),
      new Failure("hang", fault("hang"), true, true, 504, "timeout"),
      new Failure("reset", fault("reset"), true, true, 502, "network"));

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Failure failure : FAILURES) {
        cases.add(Arguments.of(mode, failure));
      }
    }
    return cases.stream();
  }

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    // A short first-byte timeout so a hang becomes a timeout quickly; a generous retry budget so
    // that this matrix tests the policy alone (the budget has its own test).
    String yaml = TestNode.replace(TestNode.config(sim, 300, 300, 3_000), TestNode.ROUTING,
        "routing:\n  watch: false\n  retry_budget: {ratio: 1.0, floor_per_second: 1000, max_balance: 1000}\n");
    node = TestNode.start(vertx, yaml, ROUTES);
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

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("matrix")
  void failureClassMeetsRouteMode(Mode mode, Failure failure) {
    // GIVEN the provider the mode tries first fails exactly as many times as it may be tried
    String first = mode == Mode.FALLBACK_ONLY ? "cometapi" : "primary";
    int failingAttempts = failure.retried() ? 2 : 1;
    sim.failNext(first, failure.fault(), failingAttempts);

    // WHEN a client asks
    TestHttp.Response response = node.http().chat(ChatRequests.plain(mode.alias));

    // THEN
    assertEquals(mode.version, response.header("x-turnout-route-version"));
    if (mode == Mode.PRIMARY_WITH_FALLBACK && failure.fallsBack()) {
      // the fallback answers, after the primary's attempt and its retry (if any)
      assertEquals(200, response.status(), response.text());
      assertEquals("fallback", response.header("x-turnout-route"));
      assertEquals("cometapi", response.header("x-turnout-provider"));
      assertEquals(failure.errorClass(), response.header("x-turnout-fallback"));
      assertEquals(String.valueOf(failingAttempts + 1), response.header("x-turnout-attempts"));
      assertSeen(failingAttempts, 1);
      return;
    }
    // the client gets the failure from the only provider tried, which was tried once, or twice if retried
    assertEquals(failure.status(), response.status(), response.text());
    assertEquals(failure.errorClass(), response.header("x-turnout-error-class"));
    assertEquals(mode == Mode.FALLBACK_ONLY ? "fallback" : "primary", response.header("x-turnout-route"));
    assertEquals(first, response.header("x-turnout-provider"));
    assertEquals("none", response.header("x-turnout-fallback"));
    assertEquals(String.valueOf(failingAttempts), response.header("x-turnout-attempts"));
    if (mode == Mode.FALLBACK_ONLY) {
      assertSeen(0, failingAttempts);
    } else {
      assertSeen(failingAttempts, 0);
    }
  }

  private static void assertSeen(int primary, int cometapi) {
    assertEquals(primary, sim.requests("primary").size(), "requests the primary saw");
    assertEquals(cometapi, sim.requests("cometapi").size(), "requests the fallback saw");
  }
}
