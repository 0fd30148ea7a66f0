package io.turnout.controlplane.probes;

import static io.turnout.testing.Faults.malformed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight probes on a real node in front of the simulator: what each probe finds on a healthy
 * provider and on broken ones, where the evidence goes, and the activation guard it feeds.
 */
@ExtendWith(VertxExtension.class)
class ProbeEndToEndTest {

  static final String TOKEN = "admin-token-for-alice";
  static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
        claude-chat: {provider_models: {claude: claude-sonnet-4-5-20250929}, rollback_target: claude-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests, enabled_features: [stream, tools, tool_choice, parallel_tool_calls, response_format,
           json_schema, stop, seed, logprobs, multiple_choices]}
        - {route_version: chat-comet, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests, enabled_features: {primary: [], fallback: [stream]}}
        - {route_version: chat-canary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.1, primary_provider: primary, fallback_provider: cometapi,
           timeout_ms: 30000, rollback_route_version: chat-v1, owner: tests,
           enabled_features: {primary: [stream, tools, tool_choice], fallback: [response_format]}}
        - {route_version: chat-off, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: disabled, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests, disabled_reason: maintenance}
        - {route_version: claude-v1, environment: production, tenant_or_cohort: "*", model_alias: claude-chat,
           mode: primary_only, primary_provider: claude, timeout_ms: 30000, rollback_route_version: claude-v1,
           owner: tests, enabled_features: [stream, tools, tool_choice, stop]}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: claude-chat, route_version: claude-v1}
      """;
  /** A healthy provider with a realistic first byte: far above the timeout probe's 5 ms. */
  static final JsonObject HEALTHY = new JsonObject().put("latency_ms", 40);

  private static Vertx vertx;
  private static Sim sim;

  @TempDir
  Path dir;
  private Node node;
  private TestHttp http;
  private TestHttp adminHttp;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void healthyProviders() {
    for (String provider : List.of("primary", "cometapi", "claude")) {
      sim.reset(provider);
      sim.script(provider, HEALTHY);
    }
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      http.close().await();
      adminHttp.close().await();
      node.stop().await();
    }
  }

  @Test
  void healthyProviders_passEveryProbe_onEveryRoleTheModeSendsTo() throws IOException {
    start(TestNode.ENV);

    // WHEN an operator runs the canary version's probes
    TestHttp.Response response = admin("/admin/probes/run", new JsonObject().put("route_version", "chat-canary"));

    // THEN every probe ran against both providers, and passed
    assertEquals(200, response.status(), response.text());
    JsonObject evidence = response.json();
    assertTrue(evidence.getBoolean("passed"), evidence.encodePrettily());
    assertEquals("chat-canary", evidence.getString("route_version"));
    assertEquals("alice", evidence.getString("operator"));
    assertEquals(node.id(), evidence.getString("node"));
    JsonArray probes = evidence.getJsonArray("probes");
    Set<String> names = Set.of("short", "multi_turn", "token_ceiling", "optional_fields", "invalid_request",
        "pinned_model", "negative_auth", "timeout", "schema_parse", "usage_telemetry");
    for (String role : List.of("primary", "fallback")) {
      assertEquals(names, probesOf(probes, role).keySet(), role);
    }
    JsonObject invalid = probesOf(probes, "fallback").get("invalid_request");
    assertEquals("validation", invalid.getString("error_class"));
    assertEquals("auth", probesOf(probes, "primary").get("negative_auth").getString("error_class"));
    assertEquals("timeout", probesOf(probes, "primary").get("timeout").getString("error_class"));
    JsonObject shortProbe = probesOf(probes, "fallback").get("short");
    assertEquals("cometapi", shortProbe.getString("provider"));
    assertNotNull(shortProbe.getString("provider_request_id"));
    assertEquals("provider", shortProbe.getJsonObject("usage").getString("usage_source"));
    assertTrue(shortProbe.getJsonObject("usage").getLong("completion_tokens") > 0);
    assertTrue(probesOf(probes, "primary").get("optional_fields").getString("detail").contains("tool_choice"));
    // AND the timed-out exchange was reset: the provider saw the client leave and holds nothing open
    Eventually.await(vertx, "no exchange left open", 5_000,
        () -> sim.stats("primary").getLong("open_exchanges") == 0 && sim.stats("cometapi").getLong("open_exchanges") == 0);
    assertTrue(sim.stats("primary").getLong("client_closed") >= 1);
    // AND the probes went around routing: no request, attempt or gate signal was counted
    Exposition metrics = Exposition.parse(http.send(HttpMethod.GET, "/metrics", null).text());
    assertEquals(0.0, metrics.sum("turnout_attempts_total"));
    assertEquals(0.0, metrics.sum("turnout_requests_total"));
    // AND the evidence is on disk and is the version's latest
    List<String> lines = Files.readAllLines(dir.resolve("evidence/probes.jsonl"));
    assertEquals(1, lines.size());
    assertEquals(evidence, new JsonObject(lines.get(0)));
    assertEquals(evidence, admin("/admin/probes/chat-canary", null).json());
  }

  @Test
  void anthropicProvider_passesEveryProbe() throws IOException {
    start(TestNode.ENV);

    JsonObject evidence = admin("/admin/probes/run", new JsonObject().put("route_version", "claude-v1")).json();

    assertTrue(evidence.getBoolean("passed"), evidence.encodePrettily());
    assertEquals(10, evidence.getJsonArray("probes").size());
    assertEquals("validation", probesOf(evidence.getJsonArray("probes"), "primary").get("invalid_request")
        .getString("error_class"));
  }

  @Test
  void wrongKey_failsThePositiveProbesAsAuth_andTheNegativeAuthProbeStillPasses_inOneAttempt() throws IOException {
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("COMETAPI_KEY", "a-key-cometapi-does-not-know");
    start(env);

    JsonObject evidence = admin("/admin/probes/run", new JsonObject().put("route_version", "chat-comet")).json();

    assertFalse(evidence.getBoolean("passed"));
    Map<String, JsonObject> fallback = probesOf(evidence.getJsonArray("probes"), "fallback");
    for (String positive : List.of("short", "multi_turn", "token_ceiling", "pinned_model", "schema_parse",
        "usage_telemetry")) {
      assertFalse(fallback.get(positive).getBoolean("passed"), positive);
      assertEquals("auth", fallback.get(positive).getString("error_class"), positive);
    }
    assertTrue(fallback.get("negative_auth").getBoolean("passed"), fallback.get("negative_auth").encode());
    // AND the invalid key went out exactly once: no retry loop
    long authAttempts = sim.requests("cometapi").stream().map(JsonObject.class::cast)
        .filter(r -> r.getJsonObject("headers").getString("x-request-id", "").endsWith("-negative_auth")).count();
    assertEquals(1, authAttempts);
  }

  @Test
  void malformedBodies_failTheSchemaProbe() throws IOException {
    start(TestNode.ENV);
    sim.script("cometapi", HEALTHY.copy().put("faults", JsonArray.of(malformed("missing_choices").put("share", 1.0))));

    JsonObject evidence = admin("/admin/probes/run", new JsonObject().put("route_version", "chat-comet")).json();

    assertFalse(evidence.getBoolean("passed"));
    JsonObject schema = probesOf(evidence.getJsonArray("probes"), "fallback").get("schema_parse");
    assertFalse(schema.getBoolean("passed"));
    assertEquals("malformed_response", schema.getString("error_class"));
  }

  @Test
  void aProviderWithoutUsage_failsTheUsageTelemetryProbe_only() throws IOException {
    start(TestNode.ENV);
    sim.script("cometapi", HEALTHY.copy().put("usage", false));

    JsonObject evidence = admin("/admin/probes/run", new JsonObject().put("route_version", "chat-comet")).json();

    assertFalse(evidence.getBoolean("passed"));
    List<String> failed = evidence.getJsonArray("probes").stream().map(JsonObject.class::cast)
        .filter(p -> !p.getBoolean("passed")).map(p -> p.getString("name")).toList();
    assertEquals(List.of("usage_telemetry"), failed);
    JsonObject usage = probesOf(evidence.getJsonArray("probes"), "fallback").get("usage_telemetry");
    assertNull(usage.getString("error_class"));
    assertEquals("none", usage.getJsonObject("usage").getString("usage_source"));
  }

  @Test
  void probeApi_refusesUnknownVersions_andAnswers404WithoutARun() throws IOException {
    start(TestNode.ENV);

    assertEquals(400, admin("/admin/probes/run", new JsonObject().put("route_version", "nope")).status());
    assertEquals(404, admin("/admin/probes/chat-v1", null).status());
    assertEquals(401, adminHttp.send(HttpMethod.GET, "/admin/probes/chat-v1", null).status());
    // AND a disabled version takes no traffic: nothing to probe, and its (empty) run passes
    JsonObject off = admin("/admin/probes/run", new JsonObject().put("route_version", "chat-off")).json();
    assertTrue(off.getBoolean("passed"));
    assertTrue(off.getJsonArray("probes").isEmpty());
  }

  @Test
  void activation_needsPassedRunsOfTheTargetAndItsRollback() throws IOException {
    start(TestNode.ENV);

    // GIVEN no run at all: refused, naming both versions
    TestHttp.Response refused = activate("chat-comet", false);
    assertEquals(400, refused.status());
    String message = refused.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("chat-comet") && message.contains("chat-v1"), message);

    // GIVEN only the target's run: refused, naming the rollback version
    assertTrue(run("chat-comet").getBoolean("passed"));
    message = activate("chat-comet", false).json().getJsonObject("error").getString("message");
    assertTrue(message.contains("route version chat-v1 has no probe run"), message);
    assertFalse(message.contains("route version chat-comet"), message);

    // WHEN both passed: the scope moves, and the audit entry names the runs it relied on
    String baselineRun = run("chat-v1").getString("run_id");
    TestHttp.Response allowed = activate("chat-comet", false);
    assertEquals(200, allowed.status(), allowed.text());
    JsonObject consulted = allowed.json().getJsonObject("probe_evidence");
    assertEquals(baselineRun, consulted.getString("chat-v1"));
    assertNotNull(consulted.getString("chat-comet"));
    assertEquals("chat-comet", http.chat(io.turnout.testing.ChatRequests.plain("chat")).header("x-turnout-route-version"));

    // AND a rollback needs no run
    assertEquals(200, admin("/admin/scopes/rollback", scope().put("reason", "back")).status());
  }

  @Test
  void aFailedLatestRun_blocksActivation() throws IOException {
    start(TestNode.ENV);
    run("chat-v1");
    run("chat-comet");
    sim.script("cometapi", HEALTHY.copy().put("usage", false));
    String failedRun = run("chat-comet").getString("run_id");

    TestHttp.Response refused = activate("chat-comet", false);

    assertEquals(400, refused.status());
    String message = refused.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("chat-comet (" + failedRun + ") failed"), message);
  }

  @Test
  void aForcedActivation_isAllowed_andAuditedWithTheMissingEvidence() throws IOException {
    start(TestNode.ENV);

    TestHttp.Response forced = activate("chat-canary", true);

    assertEquals(200, forced.status(), forced.text());
    List<String> audit = Files.readAllLines(dir.resolve("audit.jsonl"));
    JsonObject entry = new JsonObject(audit.get(audit.size() - 1));
    assertEquals("activate", entry.getString("action"));
    assertTrue(entry.getBoolean("forced"));
    JsonObject consulted = entry.getJsonObject("probe_evidence");
    assertTrue(consulted.containsKey("chat-canary") && consulted.getValue("chat-canary") == null, entry.encode());
    assertTrue(consulted.containsKey("chat-v1") && consulted.getValue("chat-v1") == null, entry.encode());
  }

  private void start(Map<String, String> secrets) throws IOException {
    String yaml = TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.PROBES,
        "probes:\n  required: true\n  evidence_dir: evidence\n  timeout_probe_ms: 5\n")
        + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n"
        + "audit:\n  file: audit.jsonl\n";
    Files.writeString(dir.resolve(NodeConfig.FILE), yaml, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>(secrets);
    env.put("ALICE_TOKEN", TOKEN);
    node = Node.start(vertx, NodeConfig.load(dir, TestNode.withAdminPort(env))).await();
    http = new TestHttp(vertx, node.httpPort());
    adminHttp = new TestHttp(vertx, node.adminPort());
  }

  private JsonObject run(String version) {
    TestHttp.Response response = admin("/admin/probes/run", new JsonObject().put("route_version", version));
    assertEquals(200, response.status(), response.text());
    return response.json();
  }

  private TestHttp.Response activate(String version, boolean force) {
    JsonObject body = scope().put("route_version", version).put("reason", "test");
    if (force) {
      body.put("force", true);
    }
    return admin("/admin/scopes/activate", body);
  }

  private static JsonObject scope() {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat");
  }

  private TestHttp.Response admin(String path, JsonObject body) {
    return admin(adminHttp, path, body);
  }

  static TestHttp.Response admin(TestHttp http, String path, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN);
    return body == null ? http.send(HttpMethod.GET, path, null, headers)
        : http.send(HttpMethod.POST, path, body.toBuffer(), headers.add("content-type", "application/json"));
  }

  /** The probes of one role, by name. */
  static Map<String, JsonObject> probesOf(JsonArray probes, String role) {
    return probes.stream().map(JsonObject.class::cast).filter(p -> role.equals(p.getString("role")))
        .collect(Collectors.toMap(p -> p.getString("name"), p -> p));
  }
}
