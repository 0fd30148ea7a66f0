package io.turnout.bench;

import io.turnout.testing.TestHttp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Gate reaction across a 3-member cluster (three Hazelcast members in this JVM, loopback): the time
 * from the breach (the client's answer to the one request whose fallback attempt returned a
 * malformed body: the runbook's "any malformed response" gate) to the rollback applied on every
 * member, as announced on the bus. The breaching request goes to each member in turn. Target: one
 * evaluation tick + 100 ms. Not a test; run with:
 *
 * <pre>
 * mvn -B -q -DskipTests package test-compile &amp;&amp; java -cp "target/turnout.jar:target/test-classes" io.turnout.bench.GateBenchmark [runs] [tick_ms]
 * </pre>
 */
public final class GateBenchmark {

  private GateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    long tickMs = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
    // One malformed answer per run: keep the breaker out of it.
    String gates = "gates: {tick_ms: " + tickMs + ", bucket_ms: 1000}\nbreaker: {max_failures: 10000}\n";
    try (BenchCluster cluster = new BenchCluster(gates)) {
      long[] everywhere = new long[runs];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      int done = 0;
      for (int i = 0; i < runs && System.nanoTime() < deadline; i++) {
        long active = cluster.activate(0, "chat-v2");
        if (cluster.appliedEverywhere(active, System.nanoTime(), 5_000) == Long.MAX_VALUE) {
          throw new IllegalStateException("activation " + active + " not applied everywhere");
        }
        scriptMalformedOnce(cluster);
        TestHttp member = cluster.http(i % BenchCluster.MEMBERS);
        TestHttp.Response breach = member.chat(new JsonObject().put("model", "chat").put("messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "Summarize the ticket."))));
        long breachAt = System.nanoTime();
        if (breach.status() != 502) {
          throw new IllegalStateException("the breaching request was answered " + breach.status() + ": " + breach.text());
        }
        everywhere[i] = cluster.appliedEverywhere(active + 1, breachAt, 10L * tickMs + 5_000);
        done++;
      }
      report(Arrays.copyOf(everywhere, done), tickMs);
    }
  }

  private static void scriptMalformedOnce(BenchCluster cluster) {
    TestHttp sim = new TestHttp(cluster.observer, cluster.sim.actualPort());
    try {
      TestHttp.Response scripted = sim.send(HttpMethod.PUT, "/_sim/providers/cometapi/script", new JsonObject()
          .put("faults", new JsonArray().add(new JsonObject().put("kind", "malformed")
              .put("variant", "missing_choices").put("times", 1))).toBuffer());
      if (scripted.status() != 200) {
        throw new IllegalStateException("simulator refused the script: " + scripted.text());
      }
    } finally {
      sim.close().await();
    }
  }

  private static void report(long[] everywhere, long tickMs) {
    Arrays.sort(everywhere);
    System.out.printf("%n## Breach to rollback applied on all 3 members (%d runs, tick %d ms)%n%n", everywhere.length,
        tickMs);
    System.out.println("| ms | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(BenchCluster.row("breaching answer to rollback applied everywhere", everywhere));
    double target = tickMs + 100;
    double max = everywhere[everywhere.length - 1] == Long.MAX_VALUE ? Double.NaN
        : everywhere[everywhere.length - 1] / 1e6;
    System.out.printf("%nTarget: one tick + 100 ms = %.0f ms; max / target = %.2f (%s)%n%n", target, max / target,
        max <= target ? "met" : "NOT met");
  }
}
