package io.turnout.bench;

import com.hazelcast.config.Config;
import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.controlplane.routes.RouteControlVerticle;
import io.turnout.simulator.SimContractKind;
import io.turnout.simulator.SimScript;
import io.turnout.simulator.SimulatorOptions;
import io.turnout.simulator.SimulatorVerticle;
import io.turnout.testing.LoopbackHazelcast;
import io.turnout.testing.TestHttp;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Three members of one Hazelcast cluster in this JVM (loopback) in front of a simulator, plus an
 * observer member, like a JVM service, that records when each member announces the revision it
 * applies. Member A (index 0) watches its route map file.
 */
final class BenchCluster implements AutoCloseable {

  static final String TOKEN = "bench-admin-token";
  static final int MEMBERS = 3;
  static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: m1, cometapi: m2}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: bench}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-v1, owner: bench}
        - {route_version: chat-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: bench}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  private final List<Vertx> vertxes = new ArrayList<>();
  final List<Node> nodes = new ArrayList<>();
  final List<Path> dirs = new ArrayList<>();
  final Vertx simVertx = Vertx.vertx();
  final SimulatorVerticle sim;
  final Vertx observer;
  /** revision -> node -> System.nanoTime() of its announcement. */
  final Map<Long, Map<String, Long>> appliedAt = new ConcurrentHashMap<>();
  private final List<TestHttp> clients = new ArrayList<>();
  private final List<TestHttp> adminClients = new ArrayList<>();

  /** @param extraYaml sections appended to every member's turnout.yaml */
  BenchCluster(String extraYaml) throws Exception {
    String name = "turnout-bench-" + UUID.randomUUID();
    sim = new SimulatorVerticle(new SimulatorOptions().setEnabled(true).setPort(0)
        .addProvider("primary", SimContractKind.OPENAI, "k1", SimScript.DEFAULT)
        .addProvider("cometapi", SimContractKind.OPENAI, "k2", SimScript.DEFAULT));
    simVertx.deployVerticle(sim).await();
    for (int i = 0; i < MEMBERS; i++) {
      Vertx vertx = clustered(name);
      nodes.add(Node.start(vertx, config(i, extraYaml), Clock.systemUTC()).await());
    }
    observer = clustered(name);
    observer.eventBus().<JsonObject>consumer(RouteControlVerticle.MEMBER_APPLIED_ADDRESS, m -> appliedAt
        .computeIfAbsent(m.body().getLong("revision"), r -> new ConcurrentHashMap<>())
        .putIfAbsent(m.body().getString("node"), System.nanoTime())).completion().await();
    for (Node node : nodes) {
      clients.add(new TestHttp(observer, node.httpPort()));
      adminClients.add(new TestHttp(observer, node.adminPort()));
    }
  }

  /** An HTTP client of member {@code index}, on the observer's Vert.x. */
  TestHttp http(int index) {
    return clients.get(index);
  }

  /** An HTTP client of member {@code index}'s admin listener, on the observer's Vert.x. */
  TestHttp admin(int index) {
    return adminClients.get(index);
  }

  /** An operator's activation on member {@code index}; returns the new revision. */
  long activate(int index, String version) {
    TestHttp.Response flip = admin(index).send(HttpMethod.POST, "/admin/scopes/activate", new JsonObject()
        .put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "bench").toBuffer(), MultiMap.caseInsensitiveMultiMap()
        .add("authorization", "Bearer " + TOKEN).add("content-type", "application/json"));
    if (flip.status() != 200) {
      throw new IllegalStateException("activation refused: " + flip.text());
    }
    return flip.json().getLong("revision");
  }

  /**
   * Waits (at most {@code timeoutMs}) until every member announced {@code revision}; returns the
   * nanoseconds from {@code startNanos} to the last announcement, or {@code Long.MAX_VALUE}.
   */
  long appliedEverywhere(long revision, long startNanos, long timeoutMs) {
    long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (appliedAt.getOrDefault(revision, Map.of()).size() < MEMBERS && System.nanoTime() < waitUntil) {
      Promise<Void> tick = Promise.promise();
      observer.setTimer(1, id -> tick.complete());
      tick.future().await();
    }
    Map<String, Long> at = appliedAt.getOrDefault(revision, Map.of());
    return at.size() < MEMBERS ? Long.MAX_VALUE
        : at.values().stream().mapToLong(t -> t - startNanos).max().orElseThrow();
  }

  /** A markdown row: p50, p90, p99 and max of sorted nanosecond samples, in ms. */
  static String row(String name, long[] sorted) {
    return String.format("| %s | %.1f | %.1f | %.1f | %.1f |", name, ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99),
        sorted[sorted.length - 1] == Long.MAX_VALUE ? Double.NaN : sorted[sorted.length - 1] / 1e6);
  }

  static double ms(long[] sorted, double q) {
    long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    return v == Long.MAX_VALUE ? Double.NaN : v / 1e6;
  }

  @Override
  public void close() {
    for (TestHttp client : clients) {
      client.close().await();
    }
    for (TestHttp client : adminClients) {
      client.close().await();
    }
    for (Node node : nodes) {
      node.stop().await();
    }
    for (Vertx v : vertxes) {
      v.close().await();
    }
    simVertx.close().await();
  }

  private Vertx clustered(String name) {
    Config hazelcast = LoopbackHazelcast.config(name);
    Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
    vertxes.add(vertx);
    return vertx;
  }

  private NodeConfig config(int index, String extraYaml) throws Exception {
    Path dir = Files.createTempDirectory("turnout-bench");
    dirs.add(dir);
    Files.writeString(dir.resolve("k1"), "k1");
    Files.writeString(dir.resolve("k2"), "k2");
    Files.writeString(dir.resolve("token"), TOKEN);
    Files.writeString(dir.resolve(NodeConfig.FILE), """
        node: {name: member-%d}
        http: {host: 127.0.0.1, port: 0, instances: 1}
        routing: {watch: %s, scan_period_ms: 100}
        providers:
          primary: {kind: openai, base_url: "%s", auth: {key: "file:k1"}}
          cometapi: {kind: openai, base_url: "%s", auth: {key: "file:k2"}}
        admin: {tokens: {bench: "file:token"}, port: 0}
        audit: {file: audit.jsonl}
        probes: {required: false}
        """.formatted(index, index == 0, sim.baseUrl("primary"), sim.baseUrl("cometapi")) + extraYaml);
    Files.writeString(dir.resolve("routes.yaml"), ROUTES);
    return NodeConfig.load(dir, Map.of());
  }
}
