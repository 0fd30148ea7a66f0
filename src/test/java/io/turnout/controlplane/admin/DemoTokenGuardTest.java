package io.turnout.controlplane.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped demo config, copied as an operator (or the Docker image) would run it: its admin
 * token is public, so the node refuses to start while the admin API listens beyond loopback,
 * unless told {@code TURNOUT_ALLOW_DEMO_TOKEN=true}.
 */
class DemoTokenGuardTest {

  private static final String SHIPPED_ADMIN_HOST = "  host: 127.0.0.1            # the admin listener: /admin, /console, and /metrics + /health/* again\n";

  /**
   * A copy of conf/ whose admin API listens on {@code host}: the one place that says where the
   * admin API's address is configured ({@code admin.host}).
   */
  private static Path shippedConfWithAdminHost(String host) throws IOException {
    Path dir = Files.createTempDirectory("turnout-demo-conf");
    try (Stream<Path> files = Files.walk(Path.of("conf"))) {
      for (Path source : files.toList()) {
        Path target = dir.resolve(Path.of("conf").relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Path yaml = dir.resolve(NodeConfig.FILE);
    String text = Files.readString(yaml);
    assertTrue(text.contains(SHIPPED_ADMIN_HOST), "the shipped config's admin listener is on 127.0.0.1");
    String edited = text.replace(SHIPPED_ADMIN_HOST, "  host: \"" + host + "\"\n");
    // the audit log stays in the copy
    Files.writeString(yaml, edited.replace("file: ../data/audit.jsonl", "file: audit.jsonl"));
    return dir;
  }

  @Test
  void theDemoTokenOnAllInterfaces_isRefused_withAClearMessage() throws IOException {
    Path conf = shippedConfWithAdminHost("0.0.0.0");
    ConfigException refused = assertThrows(ConfigException.class, () -> NodeConfig.load(conf, Map.of()));
    assertEquals("admin.tokens.alice", refused.path());
    assertTrue(refused.getMessage().contains("publicly known demo token"), refused.getMessage());
    assertTrue(refused.getMessage().contains("listens on 0.0.0.0"), refused.getMessage());
    assertTrue(refused.getMessage().contains("TURNOUT_ALLOW_DEMO_TOKEN=true"), refused.getMessage());
    // a routable address or a host name is beyond loopback too
    assertThrows(ConfigException.class, () -> NodeConfig.load(shippedConfWithAdminHost("10.1.2.3"), Map.of()));
    assertThrows(ConfigException.class, () -> NodeConfig.load(shippedConfWithAdminHost("turnout.internal"), Map.of()));
  }

  @Test
  void aNodeProcess_onTheShippedDemoOnAllInterfaces_exitsWithTheReason() throws Exception {
    Path conf = shippedConfWithAdminHost("0.0.0.0");
    Path log = conf.resolve("node.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), "io.turnout.Main", "--conf", conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove(DemoTokenGuard.ENV_ALLOW);
    // Should it start after all, it must not take the shipped port.
    builder.environment().put("TURNOUT_HTTP_PORT", "0");
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the node kept running");
      String output = Files.readString(log);
      assertEquals(2, process.exitValue(), output);
      assertTrue(output.contains("turnout: invalid configuration: ") && output.contains(
          "admin.tokens.alice: is the publicly known demo token, and the admin API listens on 0.0.0.0"), output);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void theDemoTokenOnLoopback_isAccepted() throws IOException {
    for (String host : new String[] {"127.0.0.1", "localhost", "::1"}) {
      NodeConfig config = NodeConfig.load(shippedConfWithAdminHost(host), Map.of());
      assertEquals("alice", config.adminTokens().operator("Bearer turnout-admin-alice"));
    }
  }

  @Test
  void theOptIn_allowsIt_andAnOwnTokenNeedsNone() throws IOException {
    Path conf = shippedConfWithAdminHost("0.0.0.0");
    NodeConfig demo = NodeConfig.load(conf, Map.of(DemoTokenGuard.ENV_ALLOW, "true"));
    assertEquals("alice", demo.adminTokens().operator("Bearer turnout-admin-alice"));
    assertThrows(ConfigException.class, () -> NodeConfig.load(conf, Map.of(DemoTokenGuard.ENV_ALLOW, "yes")));

    Files.writeString(conf.resolve("secrets/admin-alice.token"), "an-operators-own-token-7f3a\n");
    assertEquals("alice", NodeConfig.load(conf, Map.of()).adminTokens().operator("Bearer an-operators-own-token-7f3a"));
  }

  @Test
  void theKnownDemoTokens_includeTheShippedOne() throws IOException {
    assertTrue(DemoTokenGuard.DEMO_TOKENS.contains(Files.readString(Path.of("conf/secrets/admin-alice.token")).trim()));
  }

  @Test
  void loopback_isDecidedWithoutALookup() {
    assertTrue(DemoTokenGuard.isLoopback("127.0.0.1"));
    assertTrue(DemoTokenGuard.isLoopback("127.9.8.7"));
    assertTrue(DemoTokenGuard.isLoopback("[::1]"));
    assertTrue(DemoTokenGuard.isLoopback("LOCALHOST"));
    assertFalse(DemoTokenGuard.isLoopback("0.0.0.0"));
    assertFalse(DemoTokenGuard.isLoopback("::"));
    assertFalse(DemoTokenGuard.isLoopback("192.168.1.10"));
    assertFalse(DemoTokenGuard.isLoopback("localhost.example.com"));
  }
}
