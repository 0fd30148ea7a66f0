package io.turnout.dataplane.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.AsyncAppender;
import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.node.NodeConfig;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Logs a person can read: a text format beside the JSON one (chosen by {@code logging.format} or
 * {@code TURNOUT_LOG_FORMAT}), the request line's client, method, path, sizes and upstream address,
 * and route events with their file, path and reason as fields rather than inside the message.
 */
@ExtendWith(VertxExtension.class)
class LogsForHumansTest {

  @Test
  void theTextFormat_isOneReadableLine_withTheStructuredFields() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("file", "conf/routes.yaml");
    fields.put("reason", "names no configured provider");
    LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("turnout.route"), Level.WARN,
        "route map edit rejected", null, null);
    event.addMarker(Markers.appendEntries(fields));

    String text = encode("text", event);
    assertTrue(text.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  turnout.route - route map edit rejected "
        + "\\{file=conf/routes.yaml, reason=names no configured provider}\\R"), text);

    JsonObject json = new JsonObject(encode("json", event));
    assertEquals("route map edit rejected", json.getString("message"));
    assertEquals("conf/routes.yaml", json.getString("file"));
    assertEquals("names no configured provider", json.getString("reason"));
    assertEquals("WARN", json.getString("level"));
  }

  @Test
  void theFormat_comesFromTheConfigUnlessTheEnvironmentSaysOtherwise() {
    assertEquals("json", options("", Map.of()).logFormat());
    assertEquals("text", options("logging:\n  format: text\n", Map.of()).logFormat());
    assertEquals("json", options("logging:\n  format: text\n", Map.of("TURNOUT_LOG_FORMAT", "json")).logFormat());
    assertEquals("text", options("", Map.of("TURNOUT_LOG_FORMAT", "text")).logFormat());
    ConfigException bad = assertThrows(ConfigException.class, () -> options("logging:\n  format: xml\n", Map.of()));
    assertTrue(bad.getMessage().contains("logging.format"), bad.getMessage());
    ConfigException grpc = assertThrows(ConfigException.class,
        () -> options("tracing:\n  enabled: true\n  protocol: grpc\n", Map.of()));
    assertTrue(grpc.getMessage().contains("tracing.protocol"), grpc.getMessage());
    ConfigException ratio = assertThrows(ConfigException.class,
        () -> options("tracing:\n  sampling_ratio: 1.5\n", Map.of()));
    assertTrue(ratio.getMessage().contains("tracing.sampling_ratio"), ratio.getMessage());
    assertEquals(TracingOptions.OFF, options("", Map.of()).tracing(), "off by default");
  }

  @Test
  void applyingTheTextFormat_rereadsTheLoggingConfig_andJsonRestoresIt() {
    try {
      assertTrue(LogFormat.apply("text"));
      assertEquals("text", LogFormat.current());
      assertEquals("text", consoleEncoder().getFormat());
      assertFalse(LogFormat.apply("text"), "already text: nothing re-read");
    } finally {
      LogFormat.apply("json");
    }
    assertEquals("json", consoleEncoder().getFormat());
    assertInstanceOf(CountingAsyncAppender.class, root().getAppender("ASYNC"));
  }

  @Test
  void theRequestLine_namesClientMethodPathSizesAndUpstream(Vertx vertx) {
    try (LogCapture requests = LogCapture.logger("turnout.request")) {
      Sim sim = Sim.start(vertx);
      TestNode node = TestNode.start(vertx, TestNode.config(sim, 1_000, 1_000, 3_000), ObservedRoutes.MAP);
      try {
        TestHttp.Response response = node.http().chat(new JsonObject().put("model", "chat-primary")
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))),
            MultiMap.caseInsensitiveMultiMap().add("x-request-id", "human-line-1"));
        assertEquals(200, response.status());
        Eventually.await(vertx, "the request line", 3_000, () -> requests.json().stream()
            .anyMatch(l -> "human-line-1".equals(l.getString("request_id"))));
        JsonObject line = requests.json().stream().filter(l -> "human-line-1".equals(l.getString("request_id")))
            .findFirst().orElseThrow();
        assertTrue(line.getString("client_address").startsWith("127.0.0.1:"), line.encode());
        assertEquals("POST", line.getString("method"));
        assertEquals("/v1/chat/completions", line.getString("path"));
        assertTrue(line.getLong("bytes_in") > 20, line.encode());
        assertEquals(response.body().length(), line.getLong("bytes_out"));
        assertEquals("127.0.0.1:" + sim.port(), line.getString("upstream_address"));
      } finally {
        node.stop();
      }
    }
  }

  @Test
  void aRejectedEdit_isLoggedWithFilePathAndReasonAsFields(Vertx vertx, @TempDir Path dir) throws IOException {
    try (LogCapture routeLog = LogCapture.logger("turnout.route")) {
      Sim sim = Sim.start(vertx);
      String yaml = TestNode.config(sim, 1_000, 1_000, 3_000)
          .replace("routing:\n  watch: false\n", "routing:\n  watch: true\n  scan_period_ms: 100\n")
          + "audit:\n  file: audit.jsonl\n";
      write(dir.resolve(NodeConfig.FILE), yaml);
      write(dir.resolve("routes.yaml"), ObservedRoutes.MAP);
      TestNode node = TestNode.start(vertx, NodeConfig.load(dir, TestNode.ENV), Clock.systemUTC());
      try {
        write(dir.resolve("routes.yaml"), ObservedRoutes.MAP.replace("primary_provider: claude",
            "primary_provider: nope"));
        Eventually.await(vertx, "the rejection is logged", 5_000, () -> routeLog.json().stream()
            .anyMatch(l -> "rejected".equals(l.getString("route_event"))));
        JsonObject line = routeLog.json().stream().filter(l -> "rejected".equals(l.getString("route_event")))
            .findFirst().orElseThrow();
        assertEquals("route map edit rejected, running map unchanged", line.getString("message"));
        assertTrue(line.getString("file").endsWith("routes.yaml"), line.encode());
        assertTrue(line.getString("path").startsWith("routes["), line.encode());
        assertTrue(line.getString("reason").contains("nope"), line.encode());
        assertEquals(node.node().id(), line.getString("node"));
        assertEquals("WARN", line.getString("level"));
      } finally {
        node.stop();
      }
    }
  }

  private static ObservabilityOptions options(String yaml, Map<String, String> env) {
    JsonObject json = yaml.isEmpty() ? new JsonObject()
        : io.turnout.config.YamlFiles.parse("turnout.yaml", yaml);
    return ObservabilityOptions.fromConfig(ConfigNode.root("turnout.yaml", json), env);
  }

  private static ch.qos.logback.classic.Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static SelectableEncoder consoleEncoder() {
    AsyncAppender async = (AsyncAppender) root().getAppender("ASYNC");
    OutputStreamAppender<?> console = (OutputStreamAppender<?>) async.getAppender("STDOUT");
    return (SelectableEncoder) console.getEncoder();
  }

  private static String encode(String format, LoggingEvent event) {
    SelectableEncoder encoder = new SelectableEncoder();
    encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    encoder.setFormat(format);
    encoder.start();
    try {
      return new String(encoder.encode(event), StandardCharsets.UTF_8);
    } finally {
      encoder.stop();
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), ".edit", ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
