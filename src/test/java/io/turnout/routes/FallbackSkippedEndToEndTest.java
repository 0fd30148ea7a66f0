package io.turnout.routes;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.SteppedClock;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fallback that did not happen is not a fallback, and an attempt an open breaker turned away is
 * not an attempt: the answer's headers, the request log and the metrics count only what was sent
 * upstream, and say why a fallback the failure called for was skipped (the deadline, the data
 * policy, a gate's stop).
 */
@ExtendWith(VertxExtension.class)
class FallbackSkippedEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
        solo: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: solo-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 800,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-v1, owner: tests}
        - {route_version: solo-v1, environment: production, tenant_or_cohort: "*", model_alias: solo,
           mode: primary_only, primary_provider: primary, timeout_ms: 5000, retry_policy: {max_retries: 0},
           rollback_route_version: solo-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: solo, route_version: solo-v1}
      """;

  private Vertx vertx;
  private Sim sim;
  private TestNode node;
  private LogCapture requestLog;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    sim = Sim.start(vertx);
    requestLog = LogCapture.logger("turnout.request");
  }

  @AfterEach
  void stop() {
    requestLog.close();
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void theDeadlineRunningOutOnThePrimary_isNoFallback() {
    // GIVEN a provider that would wait 10 s for a first byte, behind an 800 ms route deadline, and a hanging primary
    node = TestNode.start(vertx, TestNode.config(sim, 10_000, 10_000, 30_000), ROUTES);
    sim.failAlways("primary", fault("hang"));

    // WHEN a client asks
    TestHttp.Response response = chat("chat", "deadline-1", MultiMap.caseInsensitiveMultiMap());

    // THEN a timeout, and nothing says the request moved to the fallback route
    assertEquals(504, response.status(), response.text());
    assertEquals("none", response.header("x-turnout-fallback"));
    assertEquals("1", response.header("x-turnout-attempts"));
    assertEquals("primary", response.header("x-turnout-route"));
    assertEquals(0, sim.requests("cometapi").size());
    JsonObject line = logLine("deadline-1");
    assertFalse(line.getBoolean("fallback_attempted"), line.encode());
    assertNull(line.getValue("fallback_reason"), line.encode());
    assertEquals("deadline", line.getString("fallback_skipped_reason"), line.encode());
    Exposition metrics = scrape();
    assertEquals(0, metrics.sum("turnout_fallbacks_total"));
    assertEquals(0, metrics.sum("turnout_attempts_total", "route", "fallback"));
  }

  @Test
  void aBreakerShortCircuit_isNotAnUpstreamAttempt() {
    // GIVEN the primary's breaker opened after two failures
    node = TestNode.start(vertx, TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.BREAKER,
        "breaker:\n  max_failures: 2\n  reset_timeout_ms: 60000\n"), ROUTES);
    sim.failNext("primary", status(500), 2);
    assertEquals(502, chat("solo", "open-1", MultiMap.caseInsensitiveMultiMap()).status());
    assertEquals(502, chat("solo", "open-2", MultiMap.caseInsensitiveMultiMap()).status());
    Eventually.await(vertx, "the breaker opened", 5_000, () -> node.node().breakers().isOpen("primary"));

    // WHEN the next request meets the open breaker
    TestHttp.Response response = chat("solo", "short-circuit-1", MultiMap.caseInsensitiveMultiMap());

    // THEN it is refused with no upstream attempt counted anywhere
    assertEquals(503, response.status(), response.text());
    assertEquals("circuit_open", response.json().getJsonObject("error").getString("code"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals("0", response.header("x-turnout-attempts"));
    assertEquals(0, logLine("short-circuit-1").getInteger("attempts"));
    assertEquals(2, sim.requests("primary").size());
    Exposition metrics = Eventually.value(vertx, "three requests counted", 3_000, () -> {
      Exposition e = scrape();
      return e.sum("turnout_requests_total") == 3 ? e : null;
    });
    assertEquals(2, metrics.sum("turnout_attempts_total", "provider", "primary"), "attempts the primary was sent");
  }

  @Test
  void aFallbackTheDataPolicyDropped_isNamedWhenTheFailureCalledForIt() {
    // GIVEN a cohort whose fallback provider's approval lapses while the node runs
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SteppedClock clock = new SteppedClock(now);
    String yaml = TestNode.config(sim, 2_000, 2_000, 5_000)
        .replace("auth: {key: \"${PRIMARY_KEY}\"}\n", "auth: {key: \"${PRIMARY_KEY}\"}\n"
            + "    approval: {data_classes: [regulated], region: eu-west-1, retention_days: 0, vendor: openai,"
            + " logs_prompts: false}\n")
        .replace("auth: {key: \"${COMETAPI_KEY}\"}\n", "auth: {key: \"${COMETAPI_KEY}\"}\n"
            + "    approval: {data_classes: [regulated], region: eu-west-1, retention_days: 0, vendor: cometapi,"
            + " logs_prompts: false, approved_until: \"" + now.plusSeconds(3_600) + "\"}\n")
        + "data_policy:\n  cohorts:\n    \"*\": {data_class: regulated, allowed_regions: [eu-west-1],"
        + " max_retention_days: 0, approved_vendors: [openai, cometapi]}\n";
    node = TestNode.start(vertx, yaml, ROUTES, clock);
    clock.advance(Duration.ofHours(2));
    sim.failAlways("primary", status(500));

    // WHEN the primary fails
    TestHttp.Response response = chat("chat", "data-policy-1", MultiMap.caseInsensitiveMultiMap());

    // THEN the primary's failure is the answer, and the answer and the log say why there was no fallback
    assertEquals(502, response.status(), response.text());
    assertEquals("data_policy", response.header("x-turnout-fallback"));
    assertEquals(0, sim.requests("cometapi").size());
    JsonObject line = logLine("data-policy-1");
    assertFalse(line.getBoolean("fallback_attempted"), line.encode());
    assertEquals("data_policy", line.getString("fallback_reason"), line.encode());
    assertEquals("data_policy", line.getString("fallback_skipped_reason"), line.encode());
    assertEquals(0, scrape().sum("turnout_fallbacks_total"));
  }

  @Test
  void afterAGatesStop_noRequestOfTheScopeReachesTheFallbackProvider() {
    // GIVEN a canary whose gate stops it once its fallback provider used more than 100 tokens
    String routes = ROUTES.replace("mode: primary_with_fallback,", "mode: canary, canary_share: 0.5,")
        .replace("timeout_ms: 800", "timeout_ms: 5000, enabled_features: {primary: [], fallback: [tools]}");
    String gates = "gates:\n  tick_ms: 100\n  bucket_ms: 500\n  rules:\n"
        + "    - {name: fallback_usage_budget, signal: tokens, above: 100, window_ms: 60000, action: stop}\n";
    node = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000) + gates, routes);
    ScopeKey scope = new ScopeKey("production", "*", "chat");
    for (int i = 0; i < 40; i++) {
      chat("chat", "canary-" + i, MultiMap.caseInsensitiveMultiMap());
    }
    Eventually.await(vertx, "the gate stopped the canary", 10_000,
        () -> node.node().routes().current().pointers().control(scope).stopped());
    sim.reset("cometapi");

    // WHEN the primary fails, for a request the fallback route would have taken over
    sim.failAlways("primary", status(500));
    TestHttp.Response response = chat("chat", "stopped-1", MultiMap.caseInsensitiveMultiMap());

    // THEN the primary's failure is the answer: the stop holds automatic fallback too
    assertEquals(502, response.status(), response.text());
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals("stopped", response.header("x-turnout-fallback"));
    assertEquals("stopped", logLine("stopped-1").getString("fallback_skipped_reason"));
    // AND a request only the fallback route could serve (tools) is refused rather than sent there
    TestHttp.Response tools = node.http().chat(ChatRequests.withTools("chat"));
    assertEquals(503, tools.status(), tools.text());
    assertEquals("route_disabled", tools.json().getJsonObject("error").getString("code"));
    assertTrue(sim.requests("cometapi").isEmpty(), "the fallback provider was reached after the stop");
  }

  private TestHttp.Response chat(String alias, String requestId, MultiMap headers) {
    return node.http().chat(ChatRequests.plain(alias), headers.add("x-request-id", requestId));
  }

  private JsonObject logLine(String requestId) {
    return Eventually.value(vertx, "the request line of " + requestId, 3_000, () -> requestLog.json().stream()
        .filter(l -> requestId.equals(l.getString("request_id"))).findFirst().orElse(null));
  }

  private Exposition scrape() {
    TestHttp.Response metrics = node.http().send(HttpMethod.GET, "/metrics", Buffer.buffer());
    assertEquals(200, metrics.status(), metrics.text());
    return Exposition.parse(metrics.text());
  }
}
