package io.turnout.dataplane.observability;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.NodeConfig;
import io.turnout.routes.RouteEvents;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real node (a real {@code PrometheusMeterRegistry}) after known
 * traffic: exact counter values by their tags, histogram buckets, and the node-wide guards (retry
 * budget, breakers, route map rejections) driven into the states the gauges and counters report.
 */
@ExtendWith(VertxExtension.class)
class MetricsScrapeTest {

  private static final String[] PRIMARY_V1 = {"alias", "chat-primary", "route_version", "primary-v1", "route",
      "primary", "provider", "primary"};
  /** Request meters also carry the caller's cohort: {@code -} on a node without client keys. */
  private static final String[] PRIMARY_V1_REQUESTS = tags(PRIMARY_V1, "cohort", "-");

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;
  private static Exposition scrape;
  private static long primaryPromptTokens;
  private static long primaryCompletionTokens;
  private static JsonObject fallbackUsage;

  /**
   * GIVEN one node that answered: two completions, a stream with usage, a provider validation
   * error, a request the primary failed twice (attempt and retry) and the fallback answered, and an
   * unknown alias.
   */
  @BeforeAll
  static void driveKnownTraffic(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 1_000, 1_000, 3_000), ObservedRoutes.MAP);
    for (int i = 0; i < 2; i++) {
      count(ok(node.http().chat(request("chat-primary"))).json().getJsonObject("usage"));
    }
    count(streamUsage(ok(node.http().chat(request("chat-primary").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))))));
    sim.nextFault("primary", status(400));
    assertEquals(400, node.http().chat(request("chat-primary")).status());
    sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("times", 2))));
    fallbackUsage = ok(node.http().chat(request("chat-fb"))).json().getJsonObject("usage");
    sim.reset("primary");
    assertEquals(404, node.http().chat(request("no-such-alias")).status());
    scrape = scrapeWhen(node, ex -> ex.sum("turnout_requests_total") == 6);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @Test
  void requestsAreCountedByAliasVersionRouteProviderStatusAndClass() {
    assertEquals(3, scrape.value("turnout_requests_total", tags(PRIMARY_V1_REQUESTS, "status", "200", "error_class", "none")));
    assertEquals(1, scrape.value("turnout_requests_total", tags(PRIMARY_V1_REQUESTS, "status", "400", "error_class",
        "validation")));
    assertEquals(1, scrape.value("turnout_requests_total", "alias", "chat-fb", "route_version", "fb-v1", "route",
        "fallback", "provider", "cometapi", "cohort", "-", "status", "200", "error_class", "none"));
    // Refused before routing: tagged "-" so a client's made-up alias cannot create a time series.
    assertEquals(1, scrape.value("turnout_requests_total", "alias", "-", "route_version", "-", "route", "-",
        "provider", "-", "cohort", "-", "status", "404", "error_class", "client_error"));
    assertTrue(scrape.find("turnout_requests_total", "alias", "no-such-alias").isEmpty());
  }

  @Test
  void attemptsAreCountedByOutcome() {
    assertEquals(3, scrape.value("turnout_attempts_total", "provider", "primary", "route", "primary", "route_version",
        "primary-v1", "outcome", "ok"));
    assertEquals(1, scrape.value("turnout_attempts_total", "provider", "primary", "route", "primary", "route_version",
        "primary-v1", "outcome", "validation"));
    assertEquals(2, scrape.value("turnout_attempts_total", "provider", "primary", "route", "primary", "route_version",
        "fb-v1", "outcome", "upstream_5xx"));
    assertEquals(1, scrape.value("turnout_attempts_total", "provider", "cometapi", "route", "fallback",
        "route_version", "fb-v1", "outcome", "ok"));
    assertEquals(7, scrape.sum("turnout_attempts_total"));
  }

  @Test
  void retriesAndFallbacksAreCountedApart() {
    assertEquals(1, scrape.value("turnout_retries_total", "route_version", "fb-v1"));
    assertEquals(1, scrape.sum("turnout_retries_total"));
    assertEquals(1, scrape.value("turnout_fallbacks_total", "route_version", "fb-v1", "reason", "upstream_5xx"));
    assertEquals(1, scrape.sum("turnout_fallbacks_total"));
  }

  @Test
  void tokensAreTheUsageTheClientsGot_byRouteVersionProviderAndType() {
    assertEquals(primaryPromptTokens, scrape.value("turnout_tokens_total", "route_version", "primary-v1", "provider",
        "primary", "type", "prompt", "usage_source", "provider"));
    assertEquals(primaryCompletionTokens, scrape.value("turnout_tokens_total", "route_version", "primary-v1",
        "provider", "primary", "type", "completion", "usage_source", "provider"));
    assertEquals((long) fallbackUsage.getLong("prompt_tokens"), scrape.value("turnout_tokens_total", "route_version", "fb-v1",
        "provider", "cometapi", "type", "prompt", "usage_source", "provider"));
    assertEquals((long) fallbackUsage.getLong("completion_tokens"), scrape.value("turnout_tokens_total", "route_version",
        "fb-v1", "provider", "cometapi", "type", "completion", "usage_source", "provider"));
  }

  @Test
  void latencyAndFirstChunkHistograms_haveBucketsWithCounts() {
    assertHistogram("turnout_request_duration_seconds", 4, PRIMARY_V1_REQUESTS);
    assertHistogram("turnout_request_duration_seconds", 1, "alias", "chat-fb", "route_version", "fb-v1", "route",
        "fallback", "provider", "cometapi", "cohort", "-");
    assertHistogram("turnout_stream_first_chunk_seconds", 1, PRIMARY_V1);
    assertEquals(1, scrape.sum("turnout_stream_first_chunk_seconds_count"), "only the stream has a first chunk");
  }

  @Test
  void quietGuards_reportZero() {
    assertEquals(0, scrape.value("turnout_retry_budget_exhausted_total"));
    assertEquals(0, scrape.value("turnout_config_rejections_total"));
    for (String provider : List.of("primary", "cometapi", "claude")) {
      assertEquals(0, scrape.value("turnout_breaker_state", "provider", provider), provider + " closed");
    }
  }

  @Test
  void emptyRetryBudgetAndOpenBreaker_areCountedAndShown(@TempDir Path dir) throws IOException {
    // GIVEN a node with no retry budget at all and a breaker that opens after 2 failures
    TestNode strained = startWatchedNode(dir, "  retry_budget: {ratio: 0, floor_per_second: 0, max_balance: 1}\n",
        "breaker:\n  max_failures: 2\n  reset_timeout_ms: 600000\n");
    try {
      sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("share", 1.0))));

      // WHEN the primary fails twice (each retry refused for budget, each request served by the
      // fallback), and a third request finds the breaker open
      for (int i = 0; i < 3; i++) {
        ok(strained.http().chat(request("chat-fb")));
      }

      // THEN the refused retries, the open breaker and why each request fell back are on /metrics
      Exposition metrics = scrapeWhen(strained, ex -> ex.sum("turnout_requests_total") == 3);
      assertEquals(2, metrics.value("turnout_retry_budget_exhausted_total"));
      assertEquals(0, metrics.sum("turnout_retries_total"));
      assertEquals(2, metrics.value("turnout_breaker_state", "provider", "primary"), "2 = open");
      assertEquals(0, metrics.value("turnout_breaker_state", "provider", "cometapi"));
      assertEquals(2, metrics.value("turnout_fallbacks_total", "route_version", "fb-v1", "reason", "upstream_5xx"));
      assertEquals(1, metrics.value("turnout_fallbacks_total", "route_version", "fb-v1", "reason", "breaker_open"));
      assertEquals(2, metrics.value("turnout_attempts_total", "provider", "primary", "route", "primary",
          "route_version", "fb-v1", "outcome", "upstream_5xx"), "no attempt while the breaker is open");
    } finally {
      sim.reset("primary");
      strained.stop();
    }
  }

  @Test
  void rejectedRouteMapEdit_isCountedOnce_andTheRunningMapStays(@TempDir Path dir) throws IOException {
    // GIVEN a node watching its route map file
    TestNode watched = startWatchedNode(dir, "", "");
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(RouteEvents.ADDRESS, m -> events.add(m.body()));
    consumer.completion().await();
    try {
      // WHEN an edit names a provider that does not exist
      write(dir.resolve("routes.yaml"), ObservedRoutes.MAP.replace("primary_provider: claude", "primary_provider: nope"));

      // THEN it is refused and counted
      Eventually.await(vertx, "the edit is refused", 5_000,
          () -> scrape(watched).value("turnout_config_rejections_total") == 1);
      assertEquals(200, watched.http().chat(request("chat-claude")).status(), "the running map still serves");

      // AND a valid edit after it (a new version: a comment alone changes nothing) applies without adding to the count
      write(dir.resolve("routes.yaml"), ObservedRoutes.MAP.replace("routes:\n", "routes:\n"
          + "  - {route_version: claude-v2, environment: production, tenant_or_cohort: \"*\", model_alias: chat-claude,"
          + " mode: primary_only, primary_provider: claude, timeout_ms: 30000, rollback_route_version: claude-v1,"
          + " owner: tests, enabled_features: [stream]}\n"));
      Eventually.await(vertx, "the valid edit is applied", 5_000,
          () -> events.stream().anyMatch(e -> "applied".equals(e.getString("type"))));
      assertEquals(1, scrape(watched).value("turnout_config_rejections_total"));
      assertEquals(1, events.stream().filter(e -> "rejected".equals(e.getString("type"))).count());
    } finally {
      consumer.unregister().await();
      watched.stop();
    }
  }

  /** A node on a config directory, watching its route map every 100 ms. */
  private static TestNode startWatchedNode(Path dir, String routingExtra, String breaker) throws IOException {
    String yaml = TestNode.config(sim, 1_000, 1_000, 3_000)
        .replace("routing:\n  watch: false\n", "routing:\n  watch: true\n  scan_period_ms: 100\n" + routingExtra)
        .replace("breaker:\n  max_failures: 10000\n", breaker.isEmpty() ? "breaker:\n  max_failures: 10000\n" : breaker)
        + "audit:\n  file: audit.jsonl\n";
    write(dir.resolve(NodeConfig.FILE), yaml);
    write(dir.resolve("routes.yaml"), ObservedRoutes.MAP);
    return TestNode.start(vertx, NodeConfig.load(dir, TestNode.ENV), Clock.systemUTC());
  }

  /** Replaces a file in one step, so the watcher never reads half of it. */
  private static void write(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), ".edit", ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void assertHistogram(String name, long count, String... tags) {
    assertEquals(count, scrape.value(name + "_count", tags));
    List<Exposition.Sample> buckets = scrape.find(name + "_bucket", tags);
    assertTrue(buckets.size() > 10, "percentile buckets published: " + buckets.size());
    double previous = 0;
    for (Exposition.Sample bucket : buckets) {
      assertTrue(bucket.value() >= previous, "cumulative buckets");
      previous = bucket.value();
    }
    assertEquals(count, scrape.value(name + "_bucket", tags(tags, "le", "+Inf")));
    assertTrue(scrape.value(name + "_sum", tags) > 0);
  }

  private static Exposition scrape(TestNode target) {
    TestHttp.Response response = target.http().send(HttpMethod.GET, "/metrics", null);
    assertEquals(200, response.status());
    assertTrue(response.header("content-type").startsWith("text/plain"));
    return Exposition.parse(response.text());
  }

  /** The scrape once it shows {@code ready}: a request is counted as its answer ends, which the client may see first. */
  private static Exposition scrapeWhen(TestNode target, java.util.function.Predicate<Exposition> ready) {
    Eventually.await(vertx, "the traffic is on /metrics", 3_000, () -> ready.test(scrape(target)));
    return scrape(target);
  }

  private static TestHttp.Response ok(TestHttp.Response response) {
    assertEquals(200, response.status(), response.text());
    return response;
  }

  private static void count(JsonObject usage) {
    primaryPromptTokens += usage.getLong("prompt_tokens");
    primaryCompletionTokens += usage.getLong("completion_tokens");
  }

  private static JsonObject streamUsage(TestHttp.Response response) {
    JsonObject usage = null;
    for (String[] event : response.events()) {
      if (!"[DONE]".equals(event[1]) && new JsonObject(event[1]).getValue("usage") instanceof JsonObject u) {
        usage = u;
      }
    }
    return usage;
  }

  private static String[] tags(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static JsonObject request(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));
  }
}
