package io.turnout.testing;

import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A real node on a loopback port 0 in front of a {@link Sim}, configured from YAML text exactly
 * as an operator would write it. Default aliases, each primary-only: {@code chat-primary}
 * (OpenAI contract), {@code chat-cometapi} (CometAPI-shaped) and {@code chat-claude}
 * (Anthropic). No client keys unless the YAML configures them.
 */
public final class TestNode {

  private final Node node;
  private final TestHttp http;
  private final TestHttp adminHttp;

  private TestNode(Node node, TestHttp http, TestHttp adminHttp) {
    this.node = node;
    this.http = http;
    this.adminHttp = adminHttp;
  }

  /** A node with default timeouts. */
  public static TestNode start(Vertx vertx, Sim sim) {
    return start(vertx, sim, 2_000, 2_000, 5_000);
  }

  /** A node whose providers use the given first-byte, stream-idle and total timeouts. */
  public static TestNode start(Vertx vertx, Sim sim, long firstByteMs, long idleMs, long totalMs) {
    return start(vertx, config(sim, firstByteMs, idleMs, totalMs));
  }

  /** A node from turnout.yaml text with the default route map. */
  public static TestNode start(Vertx vertx, String yaml) {
    return start(vertx, yaml, DEFAULT_ROUTES);
  }

  /** A node from turnout.yaml and routes.yaml text. */
  public static TestNode start(Vertx vertx, String yaml, String routes) {
    return start(vertx, yaml, routes, Clock.systemUTC());
  }

  /** A node on an injected clock (expiry). */
  public static TestNode start(Vertx vertx, String yaml, String routes, Clock clock) {
    return start(vertx, NodeConfig.parse("test/turnout.yaml", withOwnAuditLog(yaml), Path.of("."), ENV,
        name -> routes), clock);
  }

  /** A node whose {@code ${NAME}} secret references resolve from {@code env} instead of {@link #ENV}. */
  public static TestNode start(Vertx vertx, String yaml, String routes, Map<String, String> env) {
    return start(vertx, NodeConfig.parse("test/turnout.yaml", withOwnAuditLog(yaml), Path.of("."), withAdminPort(env),
        name -> routes), Clock.systemUTC());
  }

  /** A node with its own secrets ({@code env}) on an injected clock. */
  public static TestNode start(Vertx vertx, String yaml, String routes, Map<String, String> env, Clock clock) {
    return start(vertx, NodeConfig.parse("test/turnout.yaml", withOwnAuditLog(yaml), Path.of("."), withAdminPort(env),
        name -> routes), clock);
  }

  /** A node from a config already loaded (e.g. {@link NodeConfig#load} of a temporary directory). */
  public static TestNode start(Vertx vertx, NodeConfig config, Clock clock) {
    Node node = Node.start(vertx, config, clock).await();
    return new TestNode(node, new TestHttp(vertx, node.httpPort()), new TestHttp(vertx, node.adminPort()));
  }

  /**
   * {@code env} with {@code TURNOUT_ADMIN_PORT=0} unless it sets one: a test node's admin
   * listener never takes the default 8081, which another run on the machine may hold.
   */
  public static Map<String, String> withAdminPort(Map<String, String> env) {
    if (env.containsKey(NodeConfig.ENV_ADMIN_PORT)) {
      return env;
    }
    Map<String, String> withPort = new java.util.HashMap<>(env);
    withPort.put(NodeConfig.ENV_ADMIN_PORT, "0");
    return withPort;
  }

  /** Every test node writes its own audit log, so no node restores another test's flips. */
  private static String withOwnAuditLog(String yaml) {
    if (yaml.contains("\naudit:")) {
      return yaml;
    }
    try {
      Path file = Files.createTempDirectory("turnout-audit").resolve("audit.jsonl");
      return yaml + "audit:\n  file: " + file.toAbsolutePath() + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The secrets tests reference as {@code ${NAME}}. */
  public static final Map<String, String> ENV = Map.of(
      "PRIMARY_KEY", Sim.PRIMARY_KEY, "COMETAPI_KEY", Sim.COMETAPI_KEY, "CLAUDE_KEY", Sim.CLAUDE_KEY,
      "ACME_CLIENT_KEY", "client-acme", "INTERNAL_CLIENT_KEY", "client-internal",
      // Admin listeners on ephemeral ports: reach one with adminHttp() or Node.adminPort().
      NodeConfig.ENV_ADMIN_PORT, "0");

  /**
   * The YAML of a node in front of the simulator, watching no file (tests apply maps themselves)
   * and with breakers that only open after 10,000 failures (breaker tests set their own).
   */
  public static String config(Sim sim, long firstByteMs, long idleMs, long totalMs) {
    String timeouts = "    timeouts: {connect_ms: 1000, first_byte_ms: " + firstByteMs + ", stream_idle_ms: " + idleMs
        + ", total_ms: " + totalMs + "}\n";
    return "http:\n  host: 127.0.0.1\n  port: 0\n  instances: 1\n"
        + ROUTING
        + BREAKER
        + PROBES
        + DRILLS
        + "providers:\n"
        + "  primary:\n    kind: openai\n    base_url: " + sim.baseUrl("primary") + "\n    auth: {key: \"${PRIMARY_KEY}\"}\n"
        + timeouts
        + "  cometapi:\n    kind: openai\n    base_url: " + sim.baseUrl("cometapi") + "\n    auth: {key: \"${COMETAPI_KEY}\"}\n"
        + timeouts
        + "  claude:\n    kind: anthropic\n    base_url: " + sim.baseUrl("claude") + "\n    auth: {key: \"${CLAUDE_KEY}\"}\n"
        + timeouts;
  }

  /** The {@code routing} section {@link #config} emits; replace it with {@link #replace}. */
  public static final String ROUTING = "routing:\n  watch: false\n";

  /** The {@code breaker} section {@link #config} emits; replace it with {@link #replace}. */
  public static final String BREAKER = "breaker:\n  max_failures: 10000\n";

  /**
   * The {@code probes} section {@link #config} emits: activations need no probe runs, so tests of
   * other features flip freely, and evidence goes to a temporary directory (never the checkout's
   * {@code ../data}); probe tests replace it with {@link #replace}.
   */
  public static final String PROBES = "probes:\n  required: false\n  evidence_dir: " + tempDir("turnout-evidence")
      + "\n";

  /**
   * The {@code drills} section {@link #config} emits: versions fail over automatically without a
   * drill on record (tests of retry and fallback), and reports go to a temporary directory; drill
   * and automatic-fallback tests replace it with {@link #replace}.
   */
  public static final String DRILLS = "drills:\n  report_dir: " + tempDir("turnout-drills")
      + "\n  auto_fallback: {require_drill: false}\n";

  private static String tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix).toAbsolutePath().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Swaps one section of a config for a test's own; fails loudly when the section is not there,
   * so a change to {@link #config} cannot silently leave a test on the defaults.
   */
  public static String replace(String yaml, String section, String replacement) {
    if (!yaml.contains(section)) {
      throw new IllegalArgumentException("the config has no section " + section);
    }
    return yaml.replace(section, replacement);
  }

  /** Client keys: {@code client-acme} (tenant acme) and {@code client-internal} (cohort internal). */
  public static final String CLIENTS = "clients:\n"
      + "  acme-app: {key: \"${ACME_CLIENT_KEY}\", tenant: acme}\n"
      + "  internal-tools: {key: \"${INTERNAL_CLIENT_KEY}\", tenant: internal, cohort: internal}\n";

  /**
   * One primary-only route per alias, all active for every cohort in production, without retries:
   * each failure class reaches the client from exactly one attempt.
   */
  public static final String DEFAULT_ROUTES = """
      aliases:
        chat-primary: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: primary-v1}
        chat-cometapi: {provider_models: {cometapi: gpt-4o-mini}, rollback_target: cometapi-v1}
        chat-claude: {provider_models: {claude: claude-sonnet-4-5-20250929}, rollback_target: claude-v1}
      routes:
        - {route_version: primary-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-primary,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: primary-v1,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream, tools, tool_choice, response_format, json_schema, stop, seed]}
        - {route_version: cometapi-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-cometapi,
           mode: primary_only, primary_provider: cometapi, timeout_ms: 30000, rollback_route_version: cometapi-v1,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}
        - {route_version: claude-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-claude,
           mode: primary_only, primary_provider: claude, timeout_ms: 30000, rollback_route_version: claude-v1,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream, tools, tool_choice, stop]}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-primary, route_version: primary-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-cometapi, route_version: cometapi-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-claude, route_version: claude-v1}
      """;

  public Node node() {
    return node;
  }

  public int port() {
    return node.httpPort();
  }

  public TestHttp http() {
    return http;
  }

  /** The node's admin listener ({@code /admin}, {@code /console}). */
  public int adminPort() {
    return node.adminPort();
  }

  /** An HTTP client of the admin listener. */
  public TestHttp adminHttp() {
    return adminHttp;
  }

  public void stop() {
    http.close().await();
    adminHttp.close().await();
    node.stop().await();
  }
}
