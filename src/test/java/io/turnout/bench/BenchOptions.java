package io.turnout.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's knobs, from the command line.
 *
 * @param requests measured non-streaming requests per path (direct and via the node)
 * @param warmup non-streaming warm-up requests per path, not measured
 * @param streamRequests measured streaming requests per path
 * @param streamWarmup streaming warm-up requests per path
 * @param batch requests per batch; batches of the two paths alternate
 * @param maxSeconds the whole run stops after this, measured or not
 * @param jar the Turnout jar the children run
 * @param out where the Markdown report is written (it also goes to stdout)
 * @param nodeJvmArgs extra JVM flags for the node only (e.g. to record a profile); none by default
 * @param raw also write every measured latency, in order, to CSV files beside the report
 * @param connections connections per path in the concurrent scenarios
 * @param pin run the simulator on CPU 0 and the node and the floor proxy on CPU 1 ({@code taskset})
 * @param largeBodies requests with bodies near {@code max_body_bytes}, sent at once from the
 *     concurrent scenarios' connections, for the memory bound; 0 skips them (and the node's body
 *     budget setting, for a node from before it)
 */
record BenchOptions(int requests, int warmup, int streamRequests, int streamWarmup, int batch, int maxSeconds,
    Path jar, Path out, List<String> nodeJvmArgs, boolean raw, int connections, boolean pin, int largeBodies) {

  static final int DEFAULT_REQUESTS = 10_000;
  static final int DEFAULT_WARMUP = 20_000;
  static final int DEFAULT_STREAM_REQUESTS = 3_000;
  static final int DEFAULT_STREAM_WARMUP = 2_000;
  /** The concurrent scenarios' connections per path. */
  static final int DEFAULT_CONNECTIONS = 16;
  static final int DEFAULT_LARGE_BODIES = 64;
  /** Small enough that drift (thermal, other load) hits both paths alike, large enough for 10 ms CPU ticks. */
  static final int DEFAULT_BATCH = 1_000;
  static final int DEFAULT_MAX_SECONDS = 240;
  static final Path DEFAULT_JAR = Path.of("target", "turnout.jar");
  static final Path DEFAULT_OUT = Path.of("target", "bench", "proxy-benchmark.md");

  static final String USAGE = "usage: ProxyBenchmark [--requests N] [--warmup N] [--stream-requests N]"
      + " [--stream-warmup N] [--batch N] [--max-seconds N] [--jar PATH] [--out PATH] [--node-jvm-arg ARG]... [--raw]"
      + " [--connections N] [--pin] [--large-bodies N]";

  BenchOptions {
    if (largeBodies < 0 || connections < 1 || requests < 1 || warmup < 0 || streamRequests < 0 || streamWarmup < 0 || batch < 1 || maxSeconds < 1) {
      throw new IllegalArgumentException("counts must be positive (warm-ups and streams may be 0)");
    }
    nodeJvmArgs = List.copyOf(nodeJvmArgs);
  }

  /** @throws IllegalArgumentException on an unknown flag or a bad number */
  static BenchOptions parse(String[] args) {
    int requests = DEFAULT_REQUESTS;
    int warmup = DEFAULT_WARMUP;
    int streamRequests = DEFAULT_STREAM_REQUESTS;
    int streamWarmup = DEFAULT_STREAM_WARMUP;
    int batch = DEFAULT_BATCH;
    int maxSeconds = DEFAULT_MAX_SECONDS;
    Path jar = DEFAULT_JAR;
    Path out = DEFAULT_OUT;
    List<String> nodeJvmArgs = new ArrayList<>();
    boolean raw = false;
    int connections = DEFAULT_CONNECTIONS;
    boolean pin = false;
    int largeBodies = DEFAULT_LARGE_BODIES;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--raw")) {
        raw = true;
        continue;
      }
      if (flag.equals("--pin")) {
        pin = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--requests" -> requests = number(flag, value);
        case "--warmup" -> warmup = number(flag, value);
        case "--stream-requests" -> streamRequests = number(flag, value);
        case "--stream-warmup" -> streamWarmup = number(flag, value);
        case "--batch" -> batch = number(flag, value);
        case "--max-seconds" -> maxSeconds = number(flag, value);
        case "--jar" -> jar = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--node-jvm-arg" -> nodeJvmArgs.add(value);
        case "--connections" -> connections = number(flag, value);
        case "--large-bodies" -> largeBodies = number(flag, value);
        default -> throw new IllegalArgumentException("unknown argument: " + flag);
      }
    }
    return new BenchOptions(requests, warmup, streamRequests, streamWarmup, batch, maxSeconds, jar, out,
        nodeJvmArgs, raw, connections, pin, largeBodies);
  }

  private static int number(String flag, String value) {
    try {
      return Integer.parseInt(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, got '" + value + "'");
    }
  }
}
