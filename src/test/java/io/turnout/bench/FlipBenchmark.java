package io.turnout.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

  private FlipBenchmark() {}

  public static void main(String[] args) throws Exception {
    int flips = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    try (BenchCluster cluster = new BenchCluster("")) {
      long[] answered = new long[flips];
      long[] everywhere = new long[flips];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int done = 0;
      for (int i = 0; i < flips && System.nanoTime() < deadline; i++) {
        long start = System.nanoTime();
        long revision = cluster.activate(0, i % 2 == 0 ? "chat-v2" : "chat-v1");
        answered[i] = System.nanoTime() - start;
        everywhere[i] = cluster.appliedEverywhere(revision, start, 5_000);
        done++;
      }
      report(Arrays.copyOf(answered, done), Arrays.copyOf(everywhere, done));
      fileEdits(cluster);
    }
  }

  /** Route map file edits on member A (scanned every 100 ms) until every member applies them. */
  private static void fileEdits(BenchCluster cluster) throws Exception {
    int edits = 20;
    long[] everywhere = new long[edits];
    Path file = cluster.dirs.get(0).resolve("routes.yaml");
    String text = Files.readString(file);
    for (int i = 0; i < edits; i++) {
      long before = cluster.nodes.get(0).routes().revision();
      // Each edit adds a version (versions are frozen: an edit never changes one in place).
      text = text.replace("\nactive:", "\n  - {route_version: chat-edit-" + i + ", environment: production, "
          + "tenant_or_cohort: \"*\", model_alias: chat, mode: primary_only, primary_provider: primary, "
          + "timeout_ms: 30000, rollback_route_version: chat-v1, owner: bench}\nactive:");
      long start = System.nanoTime();
      Files.writeString(file, text);
      everywhere[i] = cluster.appliedEverywhere(before + 1, start, 10_000);
    }
    Arrays.sort(everywhere);
    System.out.printf("## File edit on member A to applied on all 3 members (scan period 100 ms, %d edits)%n%n", edits);
    System.out.println("| ms | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(BenchCluster.row("edit written to applied everywhere", everywhere));
    System.out.println();
  }

  private static void report(long[] answered, long[] everywhere) {
    Arrays.sort(answered);
    Arrays.sort(everywhere);
    System.out.printf("%n## Flip propagation, 3 members in one JVM on loopback (%d flips)%n%n", answered.length);
    System.out.println("| ms | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(BenchCluster.row("flip answered by member A (compare-and-set + audit + apply)", answered));
    System.out.println(BenchCluster.row("applied on all 3 members (as announced on the bus)", everywhere));
    System.out.println();
  }
}
