package io.turnout.testing;

import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real node on a loopback port 0 in front of a {@link Sim}, configured from YAML text exactly
 * as an operator would write it. Aliases: {@code chat-primary} (OpenAI contract),
 * {@code chat-cometapi} (CometAPI-shaped) and {@code chat-claude} (Anthropic).
 */
public final class TestNode {

  private final Node node;
  private final TestHttp http;

  private TestNode(Node node, TestHttp http) {
    this.node = node;
    this.http = http;
  }

  /** A node with default timeouts. */
  public static TestNode start(Vertx vertx, Sim sim) {
    return start(vertx, sim, 2_000, 2_000, 5_000);
  }

  /** A node whose providers use the given first-byte, stream-idle and total timeouts. */
  public static TestNode start(Vertx vertx, Sim sim, long firstByteMs, long idleMs, long totalMs) {
    return start(vertx, config(sim, firstByteMs, idleMs, totalMs));
  }

  /** A node from YAML text. */
  public static TestNode start(Vertx vertx, String yaml) {
    NodeConfig config = NodeConfig.parse("test/turnout.yaml", yaml, Path.of("."), Map.of(
        "PRIMARY_KEY", Sim.PRIMARY_KEY, "COMETAPI_KEY", Sim.COMETAPI_KEY, "CLAUDE_KEY", Sim.CLAUDE_KEY));
    Node node = Node.start(vertx, config).await();
    return new TestNode(node, new TestHttp(vertx, node.httpPort()));
  }

  /** The YAML of a node in front of the simulator. */
  public static String config(Sim sim, long firstByteMs, long idleMs, long totalMs) {
    String timeouts = "    timeouts: {connect_ms: 1000, first_byte_ms: " + firstByteMs + ", stream_idle_ms: " + idleMs
        + ", total_ms: " + totalMs + "}\n";
    return "http:\n  host: 127.0.0.1\n  port: 0\n  instances: 1\n"
        + "providers:\n"
        + "  primary:\n    kind: openai\n    base_url: " + sim.baseUrl("primary") + "\n    auth: {key: \"${PRIMARY_KEY}\"}\n"
        + timeouts
        + "  cometapi:\n    kind: openai\n    base_url: " + sim.baseUrl("cometapi") + "\n    auth: {key: \"${COMETAPI_KEY}\"}\n"
        + timeouts
        + "  claude:\n    kind: anthropic\n    base_url: " + sim.baseUrl("claude") + "\n    auth: {key: \"${CLAUDE_KEY}\"}\n"
        + timeouts
        + "aliases:\n"
        + "  chat-primary: {provider: primary, provider_model_id: gpt-4o-mini-2024-07-18}\n"
        + "  chat-cometapi: {provider: cometapi, provider_model_id: gpt-4o-mini}\n"
        + "  chat-claude: {provider: claude, provider_model_id: claude-sonnet-4-5-20250929}\n";
  }

  public int port() {
    return node.httpPort();
  }

  public TestHttp http() {
    return http;
  }

  public void stop() {
    http.close().await();
    node.stop().await();
  }
}
