package io.turnout.bench;

import java.util.List;
import java.util.Locale;

/**
 * The floor comparison: every scenario's lanes side by side, the node against the bare
 * vertx-core proxy measured in the same run (plain and streaming), and the fallback path against
 * the plain one, at 1 and at N connections. CPU is the gateway process's own, per request.
 */
final class FloorReport {

  /** The targets, as ratios to the floor and as absolute additions. */
  static final double TARGET_RATIO = 1.5;
  static final double TARGET_STREAM_ADDED_TTFC_US = 150;
  static final double TARGET_FALLBACK_EXTRA_CPU_US = 50;

  private FloorReport() {}

  static String render(List<ProxyBenchmark.Scenario> scenarios, boolean pinned) {
    StringBuilder md = new StringBuilder("\n## Against the floor (bare vertx-core proxy, same run)\n\n");
    md.append("The floor is `io.turnout.bench.FloorProxy`: vertx-core only, one event loop, a pooled keep-alive"
        + " client, the body piped both ways, no parsing, routing, metrics or log. Added = the path's p50 minus"
        + " the direct p50 of the same scenario. Gateway CPU = the floor's or the node's own process CPU per"
        + " request. ").append(pinned ? "Pinned: simulator on CPU 0, node and floor on CPU 1 (`--pin`)."
            : "Not pinned: all processes share the cores.").append("\n\n");
    md.append("| scenario | path | requests | p50 | p99 | added p50 | gateway CPU/req | of which kernel | of which JIT |"
        + " sim CPU/req | req/s |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ProxyBenchmark.Scenario s : scenarios) {
      LatencyRecorder.Summary direct = s.tally(0).latency.summary();
      for (int i = 0; i < s.lanes().size(); i++) {
        Tally t = s.tally(i);
        LatencyRecorder.Summary l = t.latency.summary();
        ProcCpu.Sample gateway = gatewayCpu(t, i);
        md.append("| ").append(s.name()).append(s.streaming() ? " (TTFC)" : "").append(" | ").append(t.name)
            .append(" | ").append(String.format(Locale.ROOT, "%,d", t.requests)).append(" | ")
            .append(us(l.p50() / 1e3)).append(" | ").append(us(l.p99() / 1e3)).append(" | ")
            .append(i == 0 ? "—" : us((l.p50() - direct.p50()) / 1e3)).append(" | ")
            .append(gateway == null ? "—" : us(t.perRequestMicros(gateway.total()))).append(" | ")
            .append(gateway == null ? "—" : us(t.perRequestMicros(gateway.kernel()))).append(" | ")
            .append(gateway == null ? "—" : us(t.perRequestMicros(gateway.jit()))).append(" | ")
            .append(us(t.perRequestMicros(t.simCpu.total()))).append(" | ")
            .append(String.format(Locale.ROOT, "%,.0f", t.requests / Math.max(1e-9, t.wallNanos / 1e9)))
            .append(" |\n");
      }
    }
    md.append("\n### Ratios and targets\n\n| | measured | target | met |\n|---|---:|---:|:---:|\n");
    for (ProxyBenchmark.Scenario s : scenarios) {
      if (s.lanes().size() == 3) {
        double floorCpu = s.tally(1).perRequestMicros(s.tally(1).floorCpu.total());
        double nodeCpu = s.tally(2).perRequestMicros(s.tally(2).nodeCpu.total());
        double floorAdded = added(s, 1);
        double nodeAdded = added(s, 2);
        md.append(row(s.name() + ": node CPU / floor CPU", nodeCpu / floorCpu, TARGET_RATIO, "×"));
        md.append(row(s.name() + ": node added p50 / floor added p50", nodeAdded / floorAdded,
            s.streaming() ? Double.NaN : TARGET_RATIO, "×"));
        if (s.streaming()) {
          md.append(row(s.name() + ": node added TTFC p50 (µs)", nodeAdded, TARGET_STREAM_ADDED_TTFC_US, ""));
        }
      }
    }
    for (ProxyBenchmark.Scenario s : scenarios) {
      if (s.lanes().size() == 2) {
        ProxyBenchmark.Scenario plain = plainOf(scenarios, s.connections());
        double extraCpu = s.tally(1).perRequestMicros(s.tally(1).nodeCpu.total())
            - plain.tally(2).perRequestMicros(plain.tally(2).nodeCpu.total());
        double extraLatency = (s.tally(1).latency.summary().p50() - plain.tally(2).latency.summary().p50()) / 1e3;
        double roundTrip = s.tally(0).latency.summary().p50() / 1e3;
        double extraCpuNoJit = s.tally(1).perRequestMicros(s.tally(1).nodeCpu.total() - s.tally(1).nodeCpu.jit())
            - plain.tally(2).perRequestMicros(plain.tally(2).nodeCpu.total() - plain.tally(2).nodeCpu.jit());
        md.append(row(s.name() + ": node CPU over the plain path (µs)", extraCpu, TARGET_FALLBACK_EXTRA_CPU_US, ""));
        md.append(row(s.name() + ": the same without JIT compiler threads (µs)", extraCpuNoJit,
            TARGET_FALLBACK_EXTRA_CPU_US, ""));
        md.append(row(s.name() + ": p50 over the plain path, less one round trip to the failing provider (µs)",
            extraLatency - roundTrip, TARGET_FALLBACK_EXTRA_CPU_US, ""));
      }
    }
    md.append("\nThe fallback latency target is one extra upstream round trip (the direct 500's p50) plus 50 µs.\n");
    return md.toString();
  }

  /**
   * The node's warm-up: its CPU per request (all threads, JIT compilers included) batch by batch
   * of the first scenario's warm-up, against its measured steady state; the target is
   * within 1.5× of it by 20,000 requests.
   */
  static String warmup(List<Double> curve, int batch, Tally steady) {
    if (curve.isEmpty()) {
      return "";
    }
    double target = TARGET_RATIO * steady.perRequestMicros(steady.nodeCpu.total());
    // Each batch judged by the median of it and the next four: one disturbed batch on a shared
    // machine does not undo a warm JIT, and a lucky one does not make a cold JIT warm.
    int window = 5;
    int reached = -1;
    for (int i = 0; i + window <= curve.size() && reached < 0; i++) {
      boolean staysBelow = true;
      for (int j = i; j + window <= curve.size(); j++) {
        double[] w = curve.subList(j, j + window).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        staysBelow &= w[window / 2] <= target;
      }
      if (staysBelow) {
        reached = (i + 1) * batch;
      }
    }
    StringBuilder md = new StringBuilder("\n## Warm-up: node CPU per request, plain, 1 connection (µs per batch of ")
        .append(String.format(Locale.ROOT, "%,d", batch)).append(")\n\n");
    for (int i = 0; i < curve.size(); i++) {
      md.append(i == 0 ? "" : i % 10 == 0 ? "\n" : " · ").append(us(curve.get(i)));
    }
    md.append(String.format(Locale.ROOT, "%n%nSteady state (the measured batches): %s µs; within 1.5× of it (≤ %s µs, "
        + "median of 5 batches) from request %s on, and for every batch after: %s (target: by 20,000).%n", us(target / TARGET_RATIO),
        us(target), reached < 0 ? "never" : String.format(Locale.ROOT, "%,d", reached),
        reached > 0 && reached <= 20_000 ? "met" : "**not met**"));
    return md.toString();
  }

  /** The floor's CPU for its lane, the node's for the node's lanes, none for direct. */
  private static ProcCpu.Sample gatewayCpu(Tally t, int lane) {
    if (lane == 0) {
      return null;
    }
    return t.name.startsWith("floor") ? t.floorCpu : t.nodeCpu;
  }

  private static double added(ProxyBenchmark.Scenario s, int lane) {
    return (s.tally(lane).latency.summary().p50() - s.tally(0).latency.summary().p50()) / 1e3;
  }

  private static ProxyBenchmark.Scenario plainOf(List<ProxyBenchmark.Scenario> scenarios, int connections) {
    return scenarios.stream().filter(s -> s.lanes().size() == 3 && !s.streaming() && s.connections() == connections)
        .findFirst().orElseThrow();
  }

  private static String row(String name, double measured, double target, String unit) {
    String met = Double.isNaN(target) ? "—" : Double.isNaN(measured) ? "?" : measured <= target ? "yes" : "**no**";
    String value = unit.isEmpty() ? us(measured) : String.format(Locale.ROOT, "%.2f%s", measured, unit);
    String goal = Double.isNaN(target) ? "—" : "≤ " + (unit.isEmpty() ? us(target)
        : String.format(Locale.ROOT, "%.1f%s", target, unit));
    return "| " + name + " | " + value + " | " + goal + " | " + met + " |\n";
  }

  private static String us(double micros) {
    return Double.isNaN(micros) ? "n/a" : String.format(Locale.ROOT, "%,.1f", micros);
  }
}
