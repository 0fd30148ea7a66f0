package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.dataplane.drain.DrainMode;
import io.turnout.dataplane.provider.ProviderKind;
import io.turnout.dataplane.provider.ProviderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.turnout.controlplane.admin.AdminOptions;
import io.turnout.dataplane.http.HttpOptions;

/** NodeConfig.parse: the whole file is checked; any error names the file and the exact field path. */
class NodeConfigTest {

  private static final String FILE = "conf/turnout.yaml";
  private static final String PRIMARY_KEY = "sk-primary-SECRET-111";

  @TempDir
  Path confDir;

  private static final String VALID = """
      http:
        host: 127.0.0.1
        port: 9090
        instances: 2
      providers:
        primary:
          kind: openai
          base_url: http://localhost:18081/primary
          auth:
            key: ${PRIMARY_KEY}
          timeouts:
            connect_ms: 500
        fallback:
          kind: openai
          base_url: https://api.cometapi.com
          auth:
            key: file:secrets/comet.key
          stream_usage: false
      clients:
        app:
          key: ${APP_KEY}
          tenant: acme
      simulator:
        enabled: false
      """;

  /** The route map file the node config names (routes.yaml by default). */
  private static final String ROUTES = """
      aliases:
        support-summary-v3:
          provider_models: {primary: gpt-4.1-2025-04-14, fallback: gpt-4o-mini-2024-07-18}
          rollback_target: v1
      routes:
        - route_version: v1
          environment: production
          tenant_or_cohort: "*"
          model_alias: support-summary-v3
          mode: primary_with_fallback
          primary_provider: primary
          fallback_provider: fallback
          timeout_ms: 30000
          rollback_route_version: v1
          owner: team@example.com
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: support-summary-v3, route_version: v1}
      """;

  private Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    env.put("PRIMARY_KEY", PRIMARY_KEY);
    env.put("APP_KEY", "client-key-acme");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  private void writeCometKey() throws IOException {
    Files.createDirectories(confDir.resolve("secrets"));
    Files.writeString(confDir.resolve("secrets/comet.key"), "sk-comet-from-file\n", StandardCharsets.UTF_8);
  }

  private NodeConfig parse(String text, Map<String, String> env) {
    return parse(text, ROUTES, env);
  }

  private NodeConfig parse(String text, String routes, Map<String, String> env) {
    return NodeConfig.parse(FILE, text, confDir, env, name -> {
      assertEquals("routes.yaml", name, "the default route map file");
      return routes;
    });
  }

  private ConfigException fails(String text) {
    return fails(text, env());
  }

  private ConfigException fails(String text, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text, env));
    assertEquals(FILE, e.file(), "every error names the file");
    return e;
  }

  @Test
  void givenValidConfig_whenParsed_thenEverySectionIsRead() throws IOException {
    writeCometKey();

    NodeConfig config = parse(VALID, env());

    assertEquals(new HttpOptions("127.0.0.1", 9090, 2, HttpOptions.DEFAULT_MAX_BODY_BYTES), config.http());
    assertEquals(List.of("primary", "fallback"), List.copyOf(config.providers().keySet()));
    ProviderOptions primary = config.providers().get("primary");
    assertEquals(ProviderKind.OPENAI, primary.kind());
    assertEquals(PRIMARY_KEY, primary.apiKey());
    assertEquals(500, primary.connectTimeoutMs());
    assertEquals("/primary/v1/chat/completions", primary.requestUri());
    ProviderOptions fallback = config.providers().get("fallback");
    assertEquals("sk-comet-from-file", fallback.apiKey(), "file secret resolved against the config directory");
    assertFalse(fallback.requestStreamUsage());
    assertEquals("gpt-4.1-2025-04-14", config.routes().alias("support-summary-v3").pin("primary"));
    assertEquals("production", config.environment());
    assertEquals("acme", config.clients().authenticate("Bearer client-key-acme").tenant());
    assertEquals(ROUTES, config.routesText());
    assertEquals(confDir, config.confDir());
    assertFalse(config.simulator().isEnabled(), "the simulator is off unless enabled");
  }

  @Test
  void givenMinimalConfig_whenParsed_thenHttpDefaultsApply() {
    NodeConfig config = parse("""
        providers:
          primary: {kind: openai, base_url: "http://h:1", auth: {key: "${PRIMARY_KEY}"}}
        """, ROUTES.replace(", fallback: gpt-4o-mini-2024-07-18", "")
            .replace("mode: primary_with_fallback", "mode: primary_only").replace("    fallback_provider: fallback\n", ""),
        env());

    assertEquals(new HttpOptions(HttpOptions.DEFAULT_HOST, HttpOptions.DEFAULT_PORT, HttpOptions.DEFAULT_INSTANCES,
        HttpOptions.DEFAULT_MAX_BODY_BYTES), config.http());
  }

  @Test
  void givenNoDrainSection_whenParsed_thenInFlightAttemptsFinish() throws IOException {
    writeCometKey();

    assertEquals(DrainMode.FINISH, parse(VALID, env()).routing().drainInFlight());
  }

  @Test
  void givenDrainCancel_whenParsed_thenInFlightAttemptsAreCancelled() throws IOException {
    writeCometKey();

    NodeConfig config = parse(VALID + "routing:\n  drain:\n    in_flight: cancel\n", env());

    assertEquals(DrainMode.CANCEL, config.routing().drainInFlight());
  }

  @Test
  void givenUnknownDrainMode_whenParsed_thenRejectedAtItsPathWithTheAllowedValues() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID + "routing:\n  drain:\n    in_flight: abort\n");
    ConfigException typo = fails(VALID + "routing:\n  drain:\n    inflight: cancel\n");

    assertEquals("routing.drain.in_flight", e.path());
    assertTrue(e.getMessage().contains("finish, cancel"), e.getMessage());
    assertEquals("routing.drain.inflight", typo.path());
  }

  @Test
  void givenParsedConfig_whenMapsAreModified_thenRejected() throws IOException {
    writeCometKey();
    NodeConfig config = parse(VALID, env());

    assertThrows(UnsupportedOperationException.class, () -> config.providers().clear());
    assertThrows(UnsupportedOperationException.class, () -> config.routes().aliases().clear());
  }

  @Test
  void givenTimeoutTypo_whenParsed_thenUnknownFieldWithFullPath() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("connect_ms: 500", "conect_ms: 500"));

    assertEquals("providers.primary.timeouts.conect_ms", e.path());
    assertEquals("unknown field", e.reason());
    assertEquals(FILE + ": providers.primary.timeouts.conect_ms: unknown field", e.getMessage());
  }

  @Test
  void givenUnknownTopLevelSection_whenParsed_thenRejected() throws IOException {
    writeCometKey();

    assertEquals("routes", fails(VALID + "routes: {}\n").path());
  }

  @Test
  void givenUnknownHttpField_whenParsed_thenRejected() throws IOException {
    writeCometKey();

    assertEquals("http.prot", fails(VALID.replace("  port: 9090", "  prot: 9090")).path());
  }

  @Test
  void givenWrongType_whenParsed_thenTypeErrorAtThePath() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("port: 9090", "port: \"9090\""));

    assertEquals("http.port", e.path());
    assertTrue(e.reason().contains("must be an integer, got a string"), e.reason());
  }

  @Test
  void givenOutOfRange_whenParsed_thenRangeErrorAtThePath() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("port: 9090", "port: 70000"));

    assertEquals("http.port", e.path());
    assertTrue(e.reason().contains("must be between 0 and 65535"), e.reason());
  }

  @Test
  void givenMissingRequiredField_whenParsed_thenRequiredAtThePath() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("    base_url: https://api.cometapi.com\n", ""));

    assertEquals("providers.fallback.base_url", e.path());
    assertEquals("is required", e.reason());
  }

  @Test
  void givenLiteralApiKey_whenParsed_thenRejectedWithoutEchoingIt() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("${PRIMARY_KEY}", "sk-literal-DO-NOT-LOG"));

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.reason().contains("not a literal value"), e.reason());
    assertFalse(e.getMessage().contains("sk-literal-DO-NOT-LOG"), e.getMessage());
  }

  @Test
  void givenMissingEnvVar_whenParsed_thenVariableNamedWithoutAnyValue() throws IOException {
    writeCometKey();
    Map<String, String> env = env("UNRELATED", "sk-unrelated-222");
    env.remove("PRIMARY_KEY");

    ConfigException e = fails(VALID, env);

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.getMessage().contains("PRIMARY_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains("sk-"), e.getMessage());
  }

  @Test
  void givenMissingSecretFile_whenParsed_thenFileSecretErrorAtThePath() {
    ConfigException e = fails(VALID);

    assertEquals("providers.fallback.auth.key", e.path());
    assertTrue(e.reason().contains(confDir.resolve("secrets/comet.key").toString()), e.reason());
  }

  @Test
  void givenRouteMapNamingAnUnknownProvider_whenParsed_thenRejectedInTheRoutesFileWithItsPath() throws IOException {
    writeCometKey();

    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(VALID, ROUTES.replace("fallback_provider: fallback", "fallback_provider: nowhere"), env()));

    assertEquals(confDir.resolve("routes.yaml").toString(), e.file());
    assertEquals("routes[0].fallback_provider", e.path());
  }

  @Test
  void givenNoProviders_whenParsed_thenProvidersRequired() {
    ConfigException e = fails("providers: {}\n");

    assertEquals("providers", e.path());
  }

  @Test
  void givenTwoClientsWithTheSameKey_whenParsed_thenRejected() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("simulator:\n",
        "  other:\n    key: ${APP_KEY}\n    tenant: other\nsimulator:\n"));

    assertEquals("clients.other.key", e.path());
  }

  @Test
  void givenDuplicateYamlKey_whenParsed_thenRejected() throws IOException {
    writeCometKey();

    ConfigException e = fails(VALID.replace("  port: 9090\n", "  port: 9090\n  port: 9091\n"));

    assertTrue(e.reason().contains("duplicate key port"), e.reason());
  }

  @Test
  void givenPortOverride_whenParsed_thenItWinsOverTheFile() throws IOException {
    writeCometKey();

    NodeConfig config = parse(VALID, env(NodeConfig.ENV_HTTP_PORT, " 18080 "));

    assertEquals(18080, config.http().port());
    assertEquals("127.0.0.1", config.http().host());
  }

  @Test
  void givenBlankPortOverride_whenParsed_thenTheFileValueIsUsed() throws IOException {
    writeCometKey();

    assertEquals(9090, parse(VALID, env(NodeConfig.ENV_HTTP_PORT, "")).http().port());
  }

  @ParameterizedTest(name = "TURNOUT_HTTP_PORT=[{0}]")
  @ValueSource(strings = {"http", "-1", "65536", "80.5", "99999999999"})
  void givenInvalidPortOverride_whenParsed_thenRejectedNamingTheVariable(String value) throws IOException {
    writeCometKey();

    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(VALID, env(NodeConfig.ENV_HTTP_PORT, value)));

    assertEquals(NodeConfig.ENV_HTTP_PORT, e.file());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void givenNoAdminSection_whenParsed_thenTheAdminListenerIsOnLoopback8081() throws IOException {
    writeCometKey();

    AdminOptions admin = parse(VALID, env()).admin();

    assertEquals("127.0.0.1", admin.host());
    assertEquals(8081, admin.port());
    assertEquals(java.time.Duration.ofMinutes(60), admin.sessionIdle());
    assertEquals(java.time.Duration.ofHours(12), admin.sessionMax());
  }

  @Test
  void givenAdminListenerFields_whenParsed_thenTheyAreUsed_andTheAdminPortVariableWins() throws IOException {
    writeCometKey();
    String yaml = VALID + "admin:\n  host: 0.0.0.0\n  port: 9191\n  session_idle_minutes: 15\n";

    AdminOptions fromFile = parse(yaml, env()).admin();
    AdminOptions overridden = parse(yaml, env(NodeConfig.ENV_ADMIN_PORT, "0")).admin();

    assertEquals("0.0.0.0", fromFile.host());
    assertEquals(9191, fromFile.port());
    assertEquals(java.time.Duration.ofMinutes(15), fromFile.sessionIdle());
    assertEquals(0, overridden.port());
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(yaml, env(NodeConfig.ENV_ADMIN_PORT, "admin")));
    assertEquals(NodeConfig.ENV_ADMIN_PORT, e.file());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> parse(VALID + "admin:\n  prot: 9191\n", env()));
    assertTrue(unknown.getMessage().contains("prot"), unknown.getMessage());
  }

  @Test
  void givenPortOverrideZero_whenParsed_thenAnEphemeralPortIsAllowed() throws IOException {
    writeCometKey();

    assertEquals(0, parse(VALID, env(NodeConfig.ENV_HTTP_PORT, "0")).http().port());
  }

  @Test
  void givenUnknownFieldInSimulatorSection_whenParsed_thenRejectedAtItsPath() throws IOException {
    writeCometKey();

    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(VALID + "  expires_at: 2026-01-01T00:00:00Z\n", env()));

    assertEquals("simulator.expires_at", e.path());
  }

  @Test
  void givenConfigOnDisk_whenLoaded_thenTheSameChecksApplyAndErrorsNameTheFilePath() throws IOException {
    writeCometKey();
    Files.writeString(confDir.resolve(NodeConfig.FILE), VALID.replace("connect_ms", "conect_ms"),
        StandardCharsets.UTF_8);
    Files.writeString(confDir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);

    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(confDir, env()));

    assertEquals(confDir.resolve(NodeConfig.FILE).toString(), e.file());
    assertEquals("providers.primary.timeouts.conect_ms", e.path());
  }

  @Test
  void givenMissingConfigFile_whenLoaded_thenCannotRead() {
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(confDir, env()));

    assertTrue(e.reason().startsWith("cannot read"), e.reason());
  }

  @Test
  void stateAdoptedFromAnotherMember_isNeverRefusedForDataPolicyReasons() {
    // GIVEN a route map whose version in force uses a provider the data policy does not approve
    String routes = """
        aliases:
          chat: {provider_models: {primary: m1}, rollback_target: v1}
        routes:
          - {route_version: v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
             mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}
        active:
          - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: v1}
        """;
    java.util.Map<String, io.turnout.dataplane.provider.ProviderOptions> providers = NodeConfig.parse("t.yaml",
        "providers:\n  primary: {kind: openai, base_url: \"http://127.0.0.1:1\", auth: {key: \"${K}\"}}\n",
        java.nio.file.Path.of("."), java.util.Map.of("K", "k", "TURNOUT_ADMIN_PORT", "0"), name -> routes).providers();
    io.turnout.dataplane.policy.DataPolicy strict = new io.turnout.dataplane.policy.DataPolicy(java.util.Map.of("*",
        new io.turnout.dataplane.policy.CohortPolicy("*", "regulated", java.util.Set.of("eu-west-1"), 0,
            java.util.Set.of())));

    // THEN this member's own edit of it is refused, but the same state adopted from another member is not
    assertThrows(ConfigException.class, () -> NodeConfig.parseRoutes("routes.yaml", routes, providers, strict));
    assertEquals("v1", NodeConfig.parseAdoptedRoutes("routes.yaml", routes, providers).active().byScope().values()
        .iterator().next());
  }
}
