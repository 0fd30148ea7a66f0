package io.turnout.bench;

import com.hazelcast.config.Config;
import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.node.RouteControlVerticle;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Flip propagation across a 3-member cluster (three Hazelcast members in this JVM, loopback): the
 * time from an operator's flip request on member A (its compare-and-set on the shared state) to
 * the moment each member announces it applies the new revision, and A's own answer time. Not a
 * test; run with:
 *
 * <pre>
 * mvn -B -q -DskipTests package test-compile &amp;&amp; java -cp "target/turnout.jar:target/test-classes" io.turnout.bench.FlipBenchmark [flips]
 * </pre>
 */
public final class FlipBenchmark {

  private static final String TOKEN = "bench-admin-token";

  private FlipBenchmark() {}

  public static void main(String[] args) throws Exception {
    int flips = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String cluster = "turnout-flip-bench-" + UUID.randomUUID();
    List<Vertx> vertxes = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    Vertx simVertx = Vertx.vertx();
    try {
      SimulatorVerticle sim = new SimulatorVerticle(new SimulatorOptions().setEnabled(true).setPort(0)
          .addProvider("primary", SimContractKind.OPENAI, "k1", SimScript.DEFAULT)
          .addProvider("cometapi", SimContractKind.OPENAI, "k2", SimScript.DEFAULT));
      simVertx.deployVerticle(sim).await();
      for (int i = 0; i < 3; i++) {
        Vertx vertx = clustered(cluster);
        vertxes.add(vertx);
        nodes.add(Node.start(vertx, config(sim, i), Clock.systemUTC()).await());
      }
      // An observer member, like a JVM service, records when each node announces a revision.
      Vertx observer = clustered(cluster);
      vertxes.add(observer);
      Map<Long, Map<String, Long>> appliedAt = new ConcurrentHashMap<>();
      observer.eventBus().<JsonObject>consumer(RouteControlVerticle.MEMBER_APPLIED_ADDRESS, m -> appliedAt
          .computeIfAbsent(m.body().getLong("revision"), r -> new ConcurrentHashMap<>())
          .putIfAbsent(m.body().getString("node"), System.nanoTime())).completion().await();
      TestHttp admin = new TestHttp(observer, nodes.get(0).httpPort());
      long[] answered = new long[flips];
      long[] everywhere = new long[flips];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int done = 0;
      for (int i = 0; i < flips && System.nanoTime() < deadline; i++) {
        String version = i % 2 == 0 ? "chat-v2" : "chat-v1";
        long start = System.nanoTime();
        TestHttp.Response flip = admin.send(HttpMethod.POST, "/admin/scopes/activate", new JsonObject()
            .put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
            .put("reason", "bench").toBuffer(), MultiMap.caseInsensitiveMultiMap()
            .add("authorization", "Bearer " + TOKEN).add("content-type", "application/json"));
        answered[i] = System.nanoTime() - start;
        long revision = flip.json().getLong("revision");
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((appliedAt.getOrDefault(revision, Map.of()).size() < 3) && System.nanoTime() < waitUntil) {
          Promise<Void> tick = Promise.promise();
          observer.setTimer(1, id -> tick.complete());
          tick.future().await();
        }
        Map<String, Long> at = appliedAt.getOrDefault(revision, Map.of());
        everywhere[i] = at.size() < 3 ? Long.MAX_VALUE : at.values().stream().mapToLong(t -> t - start).max().orElseThrow();
        done++;
      }
      report(Arrays.copyOf(answered, done), Arrays.copyOf(everywhere, done));
      fileEdits(observer, appliedAt, nodes.get(0));
    } finally {
      for (Node node : nodes) {
        node.stop().await();
      }
      for (Vertx v : vertxes) {
        v.close().await();
      }
      simVertx.close().await();
    }
  }

  /** Route map file edits on member A (scanned every 100 ms) until every member applies them. */
  private static void fileEdits(Vertx observer, Map<Long, Map<String, Long>> appliedAt, Node a) throws Exception {
    int edits = 20;
    long[] everywhere = new long[edits];
    Path file = FILES.get(0).resolve("routes.yaml");
    String text = Files.readString(file);
    for (int i = 0; i < edits; i++) {
      long before = a.routes().revision();
      // Each edit adds a version (versions are frozen: an edit never changes one in place).
      text = text.replace("\nactive:", "\n  - {route_version: chat-edit-" + i + ", environment: production, "
          + "tenant_or_cohort: \"*\", model_alias: chat, mode: primary_only, primary_provider: primary, "
          + "timeout_ms: 30000, rollback_route_version: chat-v1, owner: bench}\nactive:");
      String next = text;
      long start = System.nanoTime();
      Files.writeString(file, next);
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (appliedAt.getOrDefault(before + 1, Map.of()).size() < 3 && System.nanoTime() < waitUntil) {
        Promise<Void> tick = Promise.promise();
        observer.setTimer(1, id -> tick.complete());
        tick.future().await();
      }
      Map<String, Long> at = appliedAt.getOrDefault(before + 1, Map.of());
      everywhere[i] = at.size() < 3 ? Long.MAX_VALUE : at.values().stream().mapToLong(t -> t - start).max().orElseThrow();
    }
    Arrays.sort(everywhere);
    System.out.printf("## File edit on member A to applied on all 3 members (scan period 100 ms, %d edits)%n%n", edits);
    System.out.println("| ms | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(row("edit written to applied everywhere", everywhere));
    System.out.println();
  }

  private static final List<Path> FILES = new ArrayList<>();

  private static void report(long[] answered, long[] everywhere) {
    Arrays.sort(answered);
    Arrays.sort(everywhere);
    System.out.printf("%n## Flip propagation, 3 members in one JVM on loopback (%d flips)%n%n", answered.length);
    System.out.println("| ms | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(row("flip answered by member A (compare-and-set + audit + apply)", answered));
    System.out.println(row("applied on all 3 members (as announced on the bus)", everywhere));
    System.out.println();
  }

  private static String row(String name, long[] sorted) {
    return String.format("| %s | %.1f | %.1f | %.1f | %.1f |", name, ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99),
        sorted[sorted.length - 1] == Long.MAX_VALUE ? Double.NaN : sorted[sorted.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double q) {
    long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    return v == Long.MAX_VALUE ? Double.NaN : v / 1e6;
  }

  private static Vertx clustered(String name) {
    Config hazelcast = LoopbackHazelcast.config(name);
    return Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
  }

  private static NodeConfig config(SimulatorVerticle sim, int index) throws Exception {
    Path dir = Files.createTempDirectory("turnout-flip-bench");
    FILES.add(dir);
    Files.writeString(dir.resolve("k1"), "k1");
    Files.writeString(dir.resolve("k2"), "k2");
    Files.writeString(dir.resolve("token"), TOKEN);
    Files.writeString(dir.resolve(NodeConfig.FILE), """
        http: {host: 127.0.0.1, port: 0, instances: 1}
        routing: {watch: %s, scan_period_ms: 100}
        providers:
          primary: {kind: openai, base_url: "%s", auth: {key: "file:k1"}}
          cometapi: {kind: openai, base_url: "%s", auth: {key: "file:k2"}}
        admin: {tokens: {bench: "file:token"}}
        audit: {file: audit.jsonl}
        probes: {required: false}
        """.formatted(index == 0, sim.baseUrl("primary"), sim.baseUrl("cometapi")));
    Files.writeString(dir.resolve("routes.yaml"), """
        aliases:
          chat: {provider_models: {primary: m1, cometapi: m2}, rollback_target: chat-v1}
        routes:
          - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
             mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
             owner: bench}
          - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
             mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
             rollback_route_version: chat-v1, owner: bench}
          - {route_version: chat-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
             mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
             owner: bench}
        active:
          - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        """);
    return NodeConfig.load(dir, Map.of());
  }
}
