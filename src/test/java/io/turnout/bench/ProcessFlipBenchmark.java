package io.turnout.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.turnout.controlplane.cluster.ClusterOptions;
import io.turnout.controlplane.cluster.HazelcastSettings;
import io.turnout.controlplane.routes.RouteControlVerticle;
import io.turnout.testing.MemberNetwork;
import io.turnout.testing.MemberProcess;
import io.turnout.testing.MemberProcesses;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Flip propagation across three member processes, each on its own loopback address (127.0.1.1-3,
 * the README's multi-host settings, the shipped {@code cluster.xml}, {@code expected_members: 3},
 * full JIT): the time from an operator's flip request on member 1's admin API to the moment every
 * member announces it applies the new revision on {@code turnout.route.member.applied}, heard by
 * this JVM as a Hazelcast lite member (as a JVM service joins). Bounded by a flip count and a
 * time limit. Not a test; run with:
 *
 * <pre>
 * mvn -B -q -DskipTests package test-compile &amp;&amp; java -cp "target/turnout.jar:target/test-classes" io.turnout.bench.ProcessFlipBenchmark [flips] [max-seconds]
 * </pre>
 */
public final class ProcessFlipBenchmark {

  static final List<String> HOSTS = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");
  static final int WARMUP = 30;

  private ProcessFlipBenchmark() {}

  public static void main(String[] args) throws Exception {
    int flips = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    long maxSeconds = args.length > 1 ? Long.parseLong(args[1]) : 180;
    Vertx vertx = Vertx.vertx();
    Path root = Files.createTempDirectory("turnout-process-flips");
    long startedAt = System.nanoTime();
    try (MemberProcesses processes = new MemberProcesses(vertx, root, Sim.start(vertx)).shippedClusterXml()
        .expecting(3).fullJit()) {
      List<MemberNetwork> nets = MemberNetwork.onAddresses(HOSTS);
      List<MemberProcess> members = new ArrayList<>();
      for (int i = 0; i < nets.size(); i++) {
        members.add(processes.launch("m" + (i + 1), nets.get(i)));
      }
      double startup = (System.nanoTime() - startedAt) / 1e9;
      Map<Long, Map<String, Long>> appliedAt = new ConcurrentHashMap<>();
      Vertx observer = observer(processes.clusterName(), nets.get(0).members());
      observer.eventBus().<JsonObject>consumer(RouteControlVerticle.MEMBER_APPLIED_ADDRESS, m -> appliedAt
          .computeIfAbsent(m.body().getLong("revision"), r -> new ConcurrentHashMap<>())
          .putIfAbsent(m.body().getString("node"), System.nanoTime())).completion().await();
      awaitEveryone(members, appliedAt);

      LatencyRecorder answered = new LatencyRecorder(flips);
      LatencyRecorder everywhere = new LatencyRecorder(flips);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
      int lost = 0;
      for (int i = 0; i < WARMUP + flips && System.nanoTime() < deadline; i++) {
        long start = System.nanoTime();
        TestHttp.Response flip = members.get(0).flip(i % 2 == 0 ? "chat-v2" : "chat-v1");
        long answer = System.nanoTime() - start;
        if (flip.status() != 200) {
          throw new IllegalStateException("flip refused: " + flip.text());
        }
        long all = applied(appliedAt, flip.json().getLong("revision"), start, deadline);
        if (i >= WARMUP) {
          answered.record(answer);
          if (all >= 0) {
            everywhere.record(all);
          } else {
            lost++;
          }
        }
      }
      observer.close().await();
      report(answered, everywhere, lost, flips, startup, (System.nanoTime() - startedAt) / 1e9);
    } finally {
      vertx.close().await();
      try (java.util.stream.Stream<Path> files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** A lite member of the cluster on 127.0.0.1, set up by the node's own {@link HazelcastSettings}. */
  private static Vertx observer(String clusterName, List<String> members) throws Exception {
    ClusterOptions options = new ClusterOptions(true, "cluster.xml", clusterName, "127.0.0.1", null,
        MemberProcesses.freePort(), MemberProcesses.freePort(), members, 0);
    Config hazelcast = HazelcastSettings.apply(options, new XmlConfigBuilder("cluster/cluster.xml").build());
    hazelcast.setLiteMember(true);
    VertxOptions vertxOptions = new VertxOptions();
    HazelcastSettings.apply(options, vertxOptions.getEventBusOptions());
    return Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered().await();
  }

  /** Waits (at most 60 s) until a flip is heard from all three members: the lite member's subscription is known. */
  private static void awaitEveryone(List<MemberProcess> members, Map<Long, Map<String, Long>> appliedAt) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      TestHttp.Response flip = members.get(0).flip("chat-v2");
      long revision = flip.json().getLong("revision", -1L);
      if (applied(appliedAt, revision, System.nanoTime(), System.nanoTime() + TimeUnit.SECONDS.toNanos(2)) >= 0) {
        return;
      }
    }
    throw new IllegalStateException("the observer never heard all three members");
  }

  /** Nanoseconds from {@code start} to the last of the three announcements of {@code revision}, or -1 (5 s at most). */
  private static long applied(Map<Long, Map<String, Long>> appliedAt, long revision, long start, long deadline) {
    long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    while (appliedAt.getOrDefault(revision, Map.of()).size() < HOSTS.size()) {
      if (System.nanoTime() > until) {
        return -1;
      }
      LockSupport.parkNanos(100_000);
    }
    return appliedAt.get(revision).values().stream().mapToLong(t -> t - start).max().orElseThrow();
  }

  private static void report(LatencyRecorder answered, LatencyRecorder everywhere, int lost, int asked,
      double startup, double total) throws Exception {
    BenchReport.Machine m = BenchReport.Machine.probe(ChildProcess.run(List.of(ChildProcess.currentJava(),
        "-version"), 30).lines().findFirst().orElse("?"), 100);
    System.out.printf(Locale.ROOT, "%n## Flip propagation, 3 member processes on 127.0.1.1-3 (%d flips of %d asked,"
        + " after %d warm-up; %d not seen everywhere within 5 s)%n%n", answered.count(), asked, WARMUP, lost);
    System.out.printf(Locale.ROOT, "%s, %d cores, %s, %s; members started in %.1f s, run %.1f s%n%n", m.date(),
        m.cores(), m.cpuModel(), m.childJava(), startup, total);
    System.out.println("| ms | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.println(row("flip answered by member 1 (compare-and-set + fsynced audit + apply)", answered.summary()));
    System.out.println(row("applied on all 3 members (as announced on the bus)", everywhere.summary()));
  }

  private static String row(String name, LatencyRecorder.Summary s) {
    return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |", name, s.p50() / 1e6, s.p90() / 1e6,
        s.p99() / 1e6, s.max() / 1e6);
  }
}
