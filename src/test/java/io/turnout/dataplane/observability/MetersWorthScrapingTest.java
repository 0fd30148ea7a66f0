package io.turnout.dataplane.observability;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics} an SRE can use as is: HELP text on every Turnout meter, the documented SLO
 * buckets instead of percentile histograms, JVM and process meters, the build, request and
 * response sizes, and the latency the node adds on top of its upstream attempts.
 */
@ExtendWith(VertxExtension.class)
class MetersWorthScrapingTest {

  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) ?(.*)$", Pattern.MULTILINE);

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;
  private static String text;
  private static Exposition scrape;
  private static long requestBytes;
  private static long responseBytes;

  /** GIVEN a node that answered a completion and a request the fallback answered after a retry. */
  @BeforeAll
  static void driveTraffic(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 1_000, 1_000, 3_000), ObservedRoutes.MAP);
    Buffer body = new JsonObject().put("model", "chat-primary").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket."))).toBuffer();
    TestHttp.Response ok = node.http().send(HttpMethod.POST, "/v1/chat/completions", body,
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"));
    assertEquals(200, ok.status(), ok.text());
    requestBytes = body.length();
    responseBytes = ok.body().length();
    sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("times", 2))));
    assertEquals(200, node.http().chat(new JsonObject().put("model", "chat-fb").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Hello")))).status());
    Eventually.await(vertx, "both requests are counted", 3_000,
        () -> Exposition.parse(metrics()).sum("turnout_requests_total") == 2);
    text = metrics();
    scrape = Exposition.parse(text);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @Test
  void everyTurnoutMeter_hasHelpText() {
    Map<String, String> help = new LinkedHashMap<>();
    Matcher m = HELP.matcher(text);
    while (m.find()) {
      help.put(m.group(1), m.group(2));
    }
    Set<String> turnout = new TreeSet<>();
    help.keySet().stream().filter(n -> n.startsWith("turnout_")).forEach(turnout::add);
    assertTrue(turnout.size() >= 20, "turnout meters: " + turnout);
    for (String name : turnout) {
      String h = help.get(name);
      assertFalse(h.isBlank(), name + " has no HELP text");
      assertFalse(h.replace(' ', '_').equalsIgnoreCase(name), name + " has only its name as HELP");
    }
  }

  @Test
  void histograms_haveTheDocumentedSloBuckets_notAPercentileHistogram() {
    assertBuckets(MeterBuckets.LATENCY.length, "turnout_request_duration_seconds_bucket");
    assertEquals("0.005", les("turnout_request_duration_seconds_bucket").get(0));
    assertEquals("120.0", les("turnout_request_duration_seconds_bucket").get(MeterBuckets.LATENCY.length - 1));
    assertBuckets(MeterBuckets.LATENCY.length, "turnout_attempt_duration_seconds_bucket");
    assertBuckets(MeterBuckets.ADDED_LATENCY.length, "turnout_node_added_latency_seconds_bucket");
    assertBuckets(MeterBuckets.BYTES.length, "turnout_request_size_bytes_bucket");
    for (String name : scrape.names()) {
      if (name.startsWith("turnout_") && name.endsWith("_bucket")) {
        assertTrue(les(name).size() <= 16, name + " has " + les(name).size() + " buckets");
      }
    }
  }

  @Test
  void requestAndResponseSizes_areTheBytesOnTheWire() {
    String[] primary = {"alias", "chat-primary", "route_version", "primary-v1"};
    assertEquals(1, scrape.value("turnout_request_size_bytes_count", primary));
    assertEquals(requestBytes, scrape.value("turnout_request_size_bytes_sum", primary));
    assertEquals(responseBytes, scrape.value("turnout_response_size_bytes_sum", primary));
  }

  @Test
  void addedLatency_isTotalMinusUpstreamTime() {
    assertEquals(1, scrape.value("turnout_node_added_latency_seconds_count", "alias", "chat-fb", "route_version",
        "fb-v1"));
    double added = scrape.sum("turnout_node_added_latency_seconds_sum");
    double total = scrape.sum("turnout_request_duration_seconds_sum");
    double upstream = scrape.sum("turnout_attempt_duration_seconds_sum");
    // Both requests' end-to-end time, less the four attempts they made (1 + 3), is what the node added.
    assertEquals(4, scrape.sum("turnout_attempt_duration_seconds_count"));
    assertTrue(added > 0, "added " + added);
    assertEquals(total - upstream, added, 1e-6, "added = total - upstream");
  }

  @Test
  void jvmProcessAndBuildMeters_areExported() throws Exception {
    for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
        "jvm_gc_memory_allocated_bytes_total", "process_cpu_usage", "system_cpu_count", "process_uptime_seconds",
        "process_files_open_files")) {
      assertTrue(scrape.names().contains(name), name + " missing");
    }
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher version = Pattern.compile("<artifactId>turnout</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(version.find());
    assertEquals(1, scrape.value("turnout_build_info", "version", version.group(1), "java_version",
        System.getProperty("java.version")));
    assertEquals(0, scrape.value("turnout_log_lines_dropped_total"), "nothing dropped in a quiet test");
  }

  @Test
  void aNodeOnVertxMetrics_startsWithoutTheDuplicateGaugeWarning() {
    // GIVEN Vert.x with Micrometer metrics as Main builds it, and every WARN the configured levels let through
    try (LogCapture all = LogCapture.logger(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true);
      metrics.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
          .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
      Vertx metered = Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics))
          .withMetrics(new MicrometerMetricsFactory(registry)).build();
      try {
        NodeConfig config = NodeConfig.parse("test/turnout.yaml", TestNode.config(sim, 1_000, 1_000, 3_000)
            + "audit:\n  file: " + tempAudit() + "\n", Path.of("."), TestNode.ENV, n -> ObservedRoutes.MAP);
        // WHEN a node starts on it (its verticles register event-bus handlers)
        Node started = Node.start(metered, config, Clock.systemUTC(), registry).await();
        started.stop().await();
      } finally {
        metered.close().await();
      }
      // THEN the event-bus gauges are there and nothing warned about them
      assertTrue(registry.scrape().contains("vertx_eventbus_handlers"));
      assertFalse(all.text().contains("already registered"), all.text());
    }
  }

  private static String tempAudit() {
    try {
      return Files.createTempDirectory("turnout-audit").resolve("audit.jsonl").toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertBuckets(int boundaries, String name) {
    assertEquals(boundaries + 1, les(name).size(), name + ": the boundaries and +Inf");
  }

  /** The distinct {@code le} values of a bucket family, in exposition order. */
  private static List<String> les(String name) {
    return scrape.find(name).stream().map(s -> s.labels().get("le")).distinct().toList();
  }

  private static String metrics() {
    return node.http().send(HttpMethod.GET, "/metrics", null).text();
  }
}
