package io.turnout.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** Renders one benchmark run as Markdown: machine, parameters, latency, CPU, streams and the targets. */
final class BenchReport {

  /** The targets for the node's own cost. */
  static final double TARGET_ADDED_P50_US = 100;
  static final double TARGET_ADDED_P99_US = 1_000;
  static final double TARGET_NODE_CPU_US = 100;
  /** The reference: a popular Node.js gateway on this kind of machine. */
  static final double REFERENCE_ADDED_P50_US = 1_400;
  static final double REFERENCE_CPU_US = 1_400;
  /** Above this share of the node's measured CPU in JIT compiler threads, the report warns it is not warm. */
  static final double JIT_WARNING_SHARE = 0.10;

  /** Where the numbers came from. */
  record Machine(String date, int cores, String cpuModel, String memory, String os, String childJava, long clockTicks) {

    static Machine probe(String childJava, long clockTicks) {
      return new Machine(ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
          Runtime.getRuntime().availableProcessors(), procField("/proc/cpuinfo", "model name"),
          procField("/proc/meminfo", "MemTotal"), System.getProperty("os.name") + " " + System.getProperty("os.version")
              + " " + System.getProperty("os.arch"), childJava, clockTicks);
    }

    private static String procField(String file, String name) {
      try {
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII)) {
          if (line.startsWith(name)) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      } catch (IOException e) {
        // not Linux, or not readable: say so below
      }
      return "unknown";
    }
  }

  /** Everything one run measured. */
  record Run(BenchOptions options, Machine machine, int directRequestBytes, int nodeRequestBytes, int answerBytes,
      Tally direct, Tally node, Tally directStreams, Tally nodeStreams, ProcCpu.Sample nodeLifetimeCpu,
      ProcCpu.Sample simLifetimeCpu, long servedByNode, double startupSeconds, double totalSeconds, boolean truncated) {}

  private BenchReport() {}

  static String render(Run run) {
    StringBuilder md = new StringBuilder();
    BenchOptions o = run.options();
    Machine m = run.machine();
    md.append("# Turnout proxy benchmark\n\n");
    if (run.truncated()) {
      md.append("**Cut short by the ").append(o.maxSeconds()).append(" s limit: fewer requests than asked were"
          + " measured (counts below are the real ones).**\n\n");
    }
    md.append("## Machine\n\n")
        .append("| | |\n|---|---|\n")
        .append("| date | ").append(m.date()).append(" |\n")
        .append("| cores | ").append(m.cores()).append(" (shared by the node, the simulator and the load client) |\n")
        .append("| CPU | ").append(m.cpuModel()).append(" |\n")
        .append("| memory | ").append(m.memory()).append(" |\n")
        .append("| OS | ").append(m.os()).append(" |\n")
        .append("| child JVM | ").append(cell(m.childJava())).append(" |\n")
        .append("| CPU clock | /proc/<pid>/stat utime+stime, ").append(m.clockTicks()).append(" ticks/s |\n\n");

    md.append("## Parameters\n\n")
        .append("| | |\n|---|---|\n")
        .append("| plain requests measured | ").append(fmtInt(run.direct().requests)).append(" direct, ")
        .append(fmtInt(run.node().requests)).append(" via node (asked: ").append(fmtInt(o.requests()))
        .append(" each) |\n")
        .append("| plain warm-up | ").append(fmtInt(o.warmup())).append(" per path |\n")
        .append("| interleaving | batches of ").append(fmtInt(o.batch()))
        .append(", direct and via node alternating, first path flipped every round |\n")
        .append("| streams measured | ").append(fmtInt(run.directStreams().requests)).append(" direct, ")
        .append(fmtInt(run.nodeStreams().requests)).append(" via node (warm-up ").append(fmtInt(o.streamWarmup()))
        .append(" per path) |\n")
        .append("| client | Vert.x HttpClient in the benchmark JVM, 1 keep-alive connection per path, strictly"
            + " sequential (next request after the previous answer is read whole) |\n")
        .append("| node | own JVM, `http.instances: 1`, simulator off, provider = the simulator process |\n")
        .append("| simulator | own JVM (`turnout.jar simulator`), one OpenAI-contract provider,"
            + " `latency_ms: 0`, `chunk_interval_ms: 0` |\n")
        .append("| child JVM flags | `").append(String.join(" ", ProxyBenchmark.CHILD_JVM_FLAGS)).append("`")
        .append(o.nodeJvmArgs().isEmpty() ? "" : ", node also `" + String.join(" ", o.nodeJvmArgs()) + "`")
        .append(" |\n")
        .append("| request / answer | ").append(run.directRequestBytes()).append(" B direct, ")
        .append(run.nodeRequestBytes()).append(" B via node (model alias) / ").append(run.answerBytes())
        .append(" B JSON answer |\n")
        .append("| network | loopback only, 127.0.0.1 |\n")
        .append(String.format(Locale.ROOT, "| run time | %.1f s (%.1f s to start both children) |%n%n",
            run.totalSeconds(), run.startupSeconds()));

    LatencyRecorder.Summary d = run.direct().latency.summary();
    LatencyRecorder.Summary n = run.node().latency.summary();
    md.append("## Latency, non-streaming (µs, request sent to answer read whole)\n\n")
        .append("| | p50 | p90 | p99 | p99.9 | mean | max | req/s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
        .append(latencyRow(d, run.direct()))
        .append(latencyRow(n, run.node()))
        .append(diffRow("added (node − direct)", d, n))
        .append(ratioRow("ratio (node / direct)", d, n))
        .append("\nPercentiles are nearest-rank over all measured requests; \"added\" is the difference of the two"
            + " percentiles, not a percentile of per-request differences.\n\n")
        .append(roundSpread(run.direct(), run.node(), o.batch()));

    Tally dt = run.direct();
    Tally nt = run.node();
    double nodeCpu = nt.perRequestMicros(nt.nodeCpu.total());
    double nodeCpuNoJit = nt.perRequestMicros(nt.nodeCpu.total() - nt.nodeCpu.jit());
    double simCpuDirect = dt.perRequestMicros(dt.simCpu.total());
    double simCpuDirectNoJit = dt.perRequestMicros(dt.simCpu.total() - dt.simCpu.jit());
    double nodeWindow = nt.requests == 0 ? Double.NaN
        : (nt.nodeCpu.total() + dt.nodeCpu.total()) / 1_000.0 / nt.requests;
    double nodeLifetime = run.servedByNode() == 0 ? Double.NaN
        : run.nodeLifetimeCpu().total() / 1_000.0 / run.servedByNode();
    md.append("## CPU per request (µs of user+system CPU, all threads)\n\n")
        .append("| measured batches | node | simulator | load client | wall per request |\n|---|---:|---:|---:|---:|\n")
        .append(cpuRow(dt))
        .append(cpuRow(nt))
        .append("\nWhere it went, by thread kind (µs per request):\n\n")
        .append("| | event loops | JIT compilers | GC | other | total | of which kernel |\n"
            + "|---|---:|---:|---:|---:|---:|---:|\n")
        .append(splitRow("node, proxied batches", nt.nodeCpu, nt))
        .append(splitRow("simulator, direct batches", dt.simCpu, dt))
        .append(splitRow("simulator, proxied batches", nt.simCpu, nt))
        .append("\n| | |\n|---|---:|\n")
        .append("| **node CPU per proxied request** | **").append(us(nodeCpu)).append("** |\n")
        .append("| node CPU per proxied request without JIT compiler threads | ").append(us(nodeCpuNoJit)).append(" |\n")
        .append("| simulator CPU per direct request | ").append(us(simCpuDirect)).append(" |\n")
        .append("| simulator CPU per proxied request | ").append(us(nt.perRequestMicros(nt.simCpu.total())))
        .append(" |\n")
        .append("| ratio node / simulator (per request) | ").append(ratio(nodeCpu, simCpuDirect))
        .append(" (without JIT: ").append(ratio(nodeCpuNoJit, simCpuDirectNoJit)).append(") |\n")
        .append("| node CPU over the whole measured window (also idle during direct batches) / proxied requests | ")
        .append(us(nodeWindow)).append(" |\n")
        .append("| node CPU over its whole life (JVM start, JIT, warm-up, streams) / all requests it served (")
        .append(fmtInt(run.servedByNode())).append(") | ").append(us(nodeLifetime)).append(" |\n")
        .append(String.format(Locale.ROOT, "| total CPU of the node / of the simulator over their lives (of which JIT)"
            + " | %.2f s (%.2f s) / %.2f s (%.2f s) |%n", run.nodeLifetimeCpu().total() / 1e9,
            run.nodeLifetimeCpu().jit() / 1e9, run.simLifetimeCpu().total() / 1e9, run.simLifetimeCpu().jit() / 1e9))
        .append("\nCPU is read before and after every measured batch; one reading is good to one clock tick (")
        .append(1_000 / Math.max(1, m.clockTicks())).append(" ms), summed over ")
        .append(fmtInt((nt.requests + o.batch() - 1) / Math.max(1, o.batch())))
        .append(" batches per path; \"other\" is the process total minus the named threads, so"
            + " per-thread rounding can make it slightly negative. JIT compiler CPU after the warm-up is a one-off"
            + " cost of a young JVM; a longer `--warmup` shrinks it.\n\n");
    if (nt.nodeCpu.total() > 0 && nt.nodeCpu.jit() > JIT_WARNING_SHARE * nt.nodeCpu.total()) {
      md.append(String.format(Locale.ROOT, "**The node's JIT compilers were still busy while it was measured (%.0f%% of"
          + " its CPU): these are not steady-state figures. For those, run with a longer warm-up, e.g."
          + " `--warmup 50000`.**%n%n", 100.0 * nt.nodeCpu.jit() / nt.nodeCpu.total()));
    }

    if (run.directStreams().requests > 0 || run.nodeStreams().requests > 0) {
      LatencyRecorder.Summary ds = run.directStreams().latency.summary();
      LatencyRecorder.Summary ns = run.nodeStreams().latency.summary();
      LatencyRecorder.Summary dw = run.directStreams().whole.summary();
      LatencyRecorder.Summary nw = run.nodeStreams().whole.summary();
      md.append("## Streaming: time to first chunk (µs, `stream: true`)\n\n")
          .append("| | TTFC p50 | TTFC p99 | whole stream p50 | whole stream p99 |\n|---|---:|---:|---:|---:|\n")
          .append(streamRow("direct", ds, dw))
          .append(streamRow("via node", ns, nw))
          .append("| added (node − direct) | ").append(us((ns.p50() - ds.p50()) / 1e3)).append(" | ")
          .append(us((ns.p99() - ds.p99()) / 1e3)).append(" | ").append(us((nw.p50() - dw.p50()) / 1e3)).append(" | ")
          .append(us((nw.p99() - dw.p99()) / 1e3)).append(" |\n")
          .append("| ratio (node / direct) | ").append(ratio(ns.p50(), ds.p50())).append(" | ")
          .append(ratio(ns.p99(), ds.p99())).append(" | ").append(ratio(nw.p50(), dw.p50())).append(" | ")
          .append(ratio(nw.p99(), dw.p99())).append(" |\n")
          .append("\nFirst chunk = first body bytes (both the simulator and the node send the response head with the"
              + " first event). The node also asks the provider for usage (`stream_options.include_usage`) and keeps"
              + " that chunk to itself, so its upstream stream is one event longer than the direct one.\n\n");
    }

    double addedP50 = (n.p50() - d.p50()) / 1e3;
    double addedP99 = (n.p99() - d.p99()) / 1e3;
    md.append("## Targets\n\n")
        .append("| | target | measured | met | Node.js gateway reference |\n|---|---:|---:|:---:|---:|\n")
        .append(targetRow("added latency p50", TARGET_ADDED_P50_US, addedP50, "~" + us(REFERENCE_ADDED_P50_US)))
        .append(targetRow("added latency p99", TARGET_ADDED_P99_US, addedP99, "—"))
        .append(targetRow("node CPU per request", TARGET_NODE_CPU_US, nodeCpu, "~" + us(REFERENCE_CPU_US)))
        .append(targetRow("node CPU per request without JIT", TARGET_NODE_CPU_US, nodeCpuNoJit, "—"))
        .append("\nAll values in µs. The reference is a popular Node.js gateway on this kind of machine"
            + " (~1.4 ms added p50, ~1.4 ms CPU per request); it was not measured in this run.\n");
    return md.toString();
  }

  /**
   * Added latency round by round (the node's batch against the direct batch next to it in time):
   * on a machine with noisy neighbours the median round is steadier than the pooled percentiles.
   */
  private static String roundSpread(Tally direct, Tally node, int batch) {
    int rounds = Math.min(direct.latency.count(), node.latency.count()) / batch;
    if (rounds < 2) {
      return "";
    }
    double[] p50 = new double[rounds];
    double[] p99 = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      LatencyRecorder.Summary d = direct.latency.summary(r * batch, (r + 1) * batch);
      LatencyRecorder.Summary n = node.latency.summary(r * batch, (r + 1) * batch);
      p50[r] = (n.p50() - d.p50()) / 1e3;
      p99[r] = (n.p99() - d.p99()) / 1e3;
    }
    Arrays.sort(p50);
    Arrays.sort(p99);
    return "Added latency per round of two adjacent batches (" + rounds + " rounds; min / median / max, µs):"
        + " p50 " + us(p50[0]) + " / " + us(p50[rounds / 2]) + " / " + us(p50[rounds - 1])
        + "; p99 " + us(p99[0]) + " / " + us(p99[rounds / 2]) + " / " + us(p99[rounds - 1])
        + ". A wide spread means the machine was disturbed during some rounds.\n\n";
  }

  private static String latencyRow(LatencyRecorder.Summary s, Tally t) {
    double rps = t.wallNanos == 0 ? Double.NaN : t.requests / (t.wallNanos / 1e9);
    return "| " + t.name + " | " + us(s.p50() / 1e3) + " | " + us(s.p90() / 1e3) + " | " + us(s.p99() / 1e3) + " | "
        + us(s.p999() / 1e3) + " | " + us(s.mean() / 1e3) + " | " + us(s.max() / 1e3) + " | "
        + String.format(Locale.ROOT, "%,.0f", rps) + " |\n";
  }

  private static String diffRow(String name, LatencyRecorder.Summary d, LatencyRecorder.Summary n) {
    return "| " + name + " | " + diff(d, n, LatencyRecorder.Summary::p50) + " | " + diff(d, n, LatencyRecorder.Summary::p90)
        + " | " + diff(d, n, LatencyRecorder.Summary::p99) + " | " + diff(d, n, LatencyRecorder.Summary::p999) + " | "
        + us((n.mean() - d.mean()) / 1e3) + " | | |\n";
  }

  private static String ratioRow(String name, LatencyRecorder.Summary d, LatencyRecorder.Summary n) {
    return "| " + name + " | " + ratio(n.p50(), d.p50()) + " | " + ratio(n.p90(), d.p90()) + " | "
        + ratio(n.p99(), d.p99()) + " | " + ratio(n.p999(), d.p999()) + " | " + ratio(n.mean(), d.mean()) + " | | |\n";
  }

  private static String cpuRow(Tally t) {
    return "| " + t.name + " (" + fmtInt(t.requests) + " req) | " + us(t.perRequestMicros(t.nodeCpu.total())) + " | "
        + us(t.perRequestMicros(t.simCpu.total())) + " | " + us(t.perRequestMicros(t.clientCpuNanos)) + " | "
        + us(t.perRequestMicros(t.wallNanos)) + " |\n";
  }

  private static String splitRow(String name, ProcCpu.Sample cpu, Tally t) {
    return "| " + name + " | " + us(t.perRequestMicros(cpu.eventLoops())) + " | " + us(t.perRequestMicros(cpu.jit()))
        + " | " + us(t.perRequestMicros(cpu.gc())) + " | " + us(t.perRequestMicros(cpu.other())) + " | "
        + us(t.perRequestMicros(cpu.total())) + " | " + us(t.perRequestMicros(cpu.kernel())) + " |\n";
  }

  private static String streamRow(String name, LatencyRecorder.Summary ttfc, LatencyRecorder.Summary whole) {
    return "| " + name + " | " + us(ttfc.p50() / 1e3) + " | " + us(ttfc.p99() / 1e3) + " | " + us(whole.p50() / 1e3)
        + " | " + us(whole.p99() / 1e3) + " |\n";
  }

  private static String targetRow(String name, double target, double measured, String reference) {
    String met = Double.isNaN(measured) ? "?" : measured <= target ? "yes" : "**no**";
    return "| " + name + " | ≤ " + us(target) + " | " + us(measured) + " | " + met + " | " + reference + " |\n";
  }

  private static String diff(LatencyRecorder.Summary d, LatencyRecorder.Summary n,
      ToLongFunction<LatencyRecorder.Summary> field) {
    return us((field.applyAsLong(n) - field.applyAsLong(d)) / 1e3);
  }

  private static String us(double micros) {
    return Double.isNaN(micros) ? "n/a" : String.format(Locale.ROOT, "%,.1f", micros);
  }

  private static String ratio(double a, double b) {
    return b == 0 || Double.isNaN(a) || Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
  }

  private static String fmtInt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Multi-line text in one table cell. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", "<br>");
  }
}
