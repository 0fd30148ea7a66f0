package io.turnout.dataplane.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Faults;
import io.turnout.testing.Sim;
import io.turnout.testing.SteppedClock;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fallback never loosens data handling: a regulated cohort is never sent to a provider its data
 * policy does not approve, neither by a route map (rejected at load with the field path) nor at
 * run time when an approval lapses while the primary is failing (nothing reaches the provider).
 */
@ExtendWith(VertxExtension.class)
class DataPolicyEndToEndTest {

  private static final String POLICY = """
      data_policy:
        cohorts:
          "*": {data_class: internal, allowed_regions: [eu-west-1, us-east-1], max_retention_days: 30}
          regulated: {data_class: regulated, allowed_regions: [eu-west-1], max_retention_days: 0,
                      approved_vendors: [openai, cometapi]}
      clients:
        bank-app: {key: "${ACME_CLIENT_KEY}", tenant: bank, cohort: regulated}
        tools-app: {key: "${INTERNAL_CLIENT_KEY}", tenant: internal, cohort: internal}
      """;

  /** Regulated traffic: primary with a cometapi fallback, and a cutover that sends it to cometapi only. */
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini, claude: claude-sonnet-4-5-20250929},
               rollback_target: chat-v1}
        cutover: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: cutover-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests, retry_policy: {max_retries: 0}}
        - {route_version: chat-regulated-v1, environment: production, tenant_or_cohort: regulated, model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-regulated-v1, owner: tests, retry_policy: {max_retries: 0}}
        - {route_version: cutover-v1, environment: production, tenant_or_cohort: regulated, model_alias: cutover,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: cutover-v1, owner: tests, retry_policy: {max_retries: 0}}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: regulated, model_alias: chat, route_version: chat-regulated-v1}
        - {environment: production, tenant_or_cohort: regulated, model_alias: cutover, route_version: cutover-v1}
      """;

  /** The same map with the regulated version falling back to claude, which is not approved for regulated data. */
  private static final String REGULATED_TO_CLAUDE = ROUTES.replaceFirst("fallback_provider: cometapi",
      "fallback_provider: claude");

  private static Vertx vertx;
  private static Sim sim;
  private Instant start;
  private SteppedClock clock;
  private TestNode node;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void setUp() {
    // Approvals are judged on the wall clock at load, on the node's clock per request.
    start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    clock = new SteppedClock(start);
    sim.reset("primary");
    sim.reset("cometapi");
    sim.reset("claude");
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void approvalLapsingWhileThePrimaryFails_neverSendsRegulatedTrafficToTheFallback() {
    node = TestNode.start(vertx, config(start.plus(Duration.ofHours(1))), ROUTES, clock);
    sim.failAlways("primary", Faults.status(500));
    // GIVEN the fallback is approved: a failing primary falls back to it
    TestHttp.Response approved = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-acme"));
    assertEquals(200, approved.status(), approved.text());
    assertEquals("cometapi", approved.header("x-turnout-provider"));
    sim.reset("cometapi");

    // WHEN the fallback's approval lapses while the node runs
    clock.advance(Duration.ofHours(2));

    // THEN the regulated request fails with the primary's error and the fallback sees nothing
    TestHttp.Response lapsed = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-acme"));
    assertEquals(502, lapsed.status(), lapsed.text());
    assertEquals("upstream_error", lapsed.json().getJsonObject("error").getString("code"));
    // AND a route that only has the fallback is refused before anything is sent
    TestHttp.Response refused;
    try (LogCapture requestLog = LogCapture.logger("turnout.request")) {
      refused = node.http().chat(ChatRequests.plain("cutover"),
          ChatRequests.bearer("client-acme").add("x-request-id", "data-policy-refused-1"));
      // AND the request log says why, without the prompt
      JsonObject line = Eventually.value(vertx, "the request line", 3_000, () -> requestLog.json().stream()
          .filter(l -> "data-policy-refused-1".equals(l.getString("request_id"))).findFirst().orElse(null));
      assertEquals("refused", line.getString("data_policy"));
      assertEquals("regulated", line.getString("tenant_or_cohort"));
    }
    assertEquals(403, refused.status(), refused.text());
    assertEquals("data_policy_refused", refused.json().getJsonObject("error").getString("code"));
    assertEquals("invalid_request_error", refused.json().getJsonObject("error").getString("type"));
    assertTrue(refused.json().getJsonObject("error").getString("message").contains("lapsed"), refused.text());
    assertEquals(0, sim.requests("cometapi").size(), "requests the unapproved fallback saw");
  }

  @Test
  void primaryApprovalLapsed_fallbackStillApproved_servesFromTheFallback() {
    String yaml = config(start.plus(Duration.ofDays(30))).replace(
        "vendor: openai, logs_prompts: false}", "vendor: openai, logs_prompts: false, approved_until: \""
            + start.plus(Duration.ofHours(1)) + "\"}");
    node = TestNode.start(vertx, yaml, ROUTES, clock);
    clock.advance(Duration.ofHours(2));

    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-acme"));

    assertEquals(200, response.status(), response.text());
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals("data_policy", response.header("x-turnout-fallback"));
    assertEquals(0, sim.requests("primary").size(), "requests the lapsed primary saw");
  }

  @Test
  void routeMapSendingRegulatedTrafficToAnUnapprovedProvider_stopsTheNodeFromStarting() {
    String routes = REGULATED_TO_CLAUDE;
    ConfigException e = assertThrows(ConfigException.class,
        () -> TestNode.start(vertx, config(start.plus(Duration.ofHours(1))), routes, clock));
    assertEquals("routes[1].fallback_provider", e.path());
    assertTrue(e.reason().contains("not approved for data class regulated"), e.getMessage());
  }

  @Test
  void fallbackThatKeepsPromptsLongerThanThePrimary_isRejected() {
    // claude may hold internal data 30 days; the * version's primary holds none
    String routes = ROUTES.replace("mode: primary_only, primary_provider: primary, timeout_ms: 30000, "
        + "rollback_route_version: chat-v1", "mode: primary_with_fallback, primary_provider: primary, "
        + "fallback_provider: claude, timeout_ms: 30000, rollback_route_version: chat-v1");
    ConfigException e = assertThrows(ConfigException.class,
        () -> TestNode.start(vertx, config(start.plus(Duration.ofHours(1))), routes, clock));
    assertEquals("routes[0].fallback_provider", e.path());
    assertTrue(e.reason().contains("never loosen data handling"), e.getMessage());
  }

  @Test
  void withoutADataPolicy_approvalsChangeNothing() {
    String yaml = config(start.plus(Duration.ofHours(1)));
    yaml = yaml.substring(0, yaml.indexOf("data_policy:")) + yaml.substring(yaml.indexOf("clients:"));
    String routes = REGULATED_TO_CLAUDE;
    node = TestNode.start(vertx, yaml, routes, Clock.systemUTC());
    sim.failAlways("primary", Faults.status(500));

    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"), ChatRequests.bearer("client-acme"));

    assertEquals(200, response.status(), response.text());
    assertEquals("claude", response.header("x-turnout-provider"));
  }

  /** The simulator's providers with approvals; cometapi's lapses at {@code cometUntil}. */
  private static String config(Instant cometUntil) {
    return TestNode.config(sim, 2_000, 2_000, 5_000)
        .replace("auth: {key: \"${PRIMARY_KEY}\"}\n", "auth: {key: \"${PRIMARY_KEY}\"}\n"
            + "    approval: {data_classes: [regulated, internal], region: eu-west-1, retention_days: 0, "
            + "vendor: openai, logs_prompts: false}\n")
        .replace("auth: {key: \"${COMETAPI_KEY}\"}\n", "auth: {key: \"${COMETAPI_KEY}\"}\n"
            + "    approval: {data_classes: [regulated, internal], region: eu-west-1, retention_days: 0, "
            + "vendor: cometapi, logs_prompts: false, approved_until: \"" + cometUntil + "\"}\n")
        .replace("auth: {key: \"${CLAUDE_KEY}\"}\n", "auth: {key: \"${CLAUDE_KEY}\"}\n"
            + "    approval: {data_classes: [internal], region: us-east-1, retention_days: 30, "
            + "vendor: anthropic, logs_prompts: true}\n")
        + POLICY;
  }
}
