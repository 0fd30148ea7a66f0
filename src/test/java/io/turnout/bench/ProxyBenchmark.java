package io.turnout.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How much latency and CPU the node adds in front of a provider, measured on loopback against
 * the provider simulator with zero latency, so that the node's own cost is all that separates the
 * two paths. Not a test: it never runs in {@code mvn verify}. Run it from the project directory:
 *
 * <pre>
 * mvn -B -q -DskipTests package test-compile &amp;&amp; java -cp "target/turnout.jar:target/test-classes" \
 *     io.turnout.bench.ProxyBenchmark [--requests N] [--warmup N] [--stream-requests N]
 * </pre>
 *
 * <p>Further flags: {@code --stream-warmup N} (2,000), {@code --batch N} (1,000), {@code
 * --max-seconds N} (60: the whole run stops then, and the report says it was cut short),
 * {@code --jar PATH} ({@code target/turnout.jar}), {@code --out PATH}
 * ({@code target/bench/proxy-benchmark.md}), {@code --node-jvm-arg ARG} (repeatable: an extra
 * flag for the node's JVM only, e.g. {@code -XX:StartFlightRecording=filename=target/bench/node.jfr}
 * to profile it), {@code --raw} (also write every measured latency, in order, as
 * {@code latencies-*.csv} beside the report). The report goes to stdout and to that file; the
 * children's logs go beside it.
 *
 * <p>What it does, in one run:
 *
 * <ol>
 *   <li>Starts the simulator ({@code turnout.jar simulator}, a provider that answers and one that
 *       always answers 500), the node ({@code turnout.jar}, {@code http.instances: 1}, simulator
 *       off) and the floor ({@link FloorProxy}: a bare vertx-core pass-through proxy) as child JVMs
 *       with the same {@code java} as this one and {@code -Xms256m -Xmx256m}, on free loopback
 *       ports, from generated config directories; with {@code --pin} the simulator on CPU 0 and the
 *       node and the floor on CPU 1.
 *   <li>For each scenario (plain, streaming, fallback; at 1 connection and at {@code --connections}),
 *       sends the same request directly to the simulator, through the floor and through the node,
 *       each warmed up first, then measured in alternating batches so that drift hits every path
 *       alike. Latency is taken per request with {@link System#nanoTime()}; streams time the first
 *       chunk.
 *   <li>Reads the CPU time of every process from {@code /proc/<pid>/stat} around every measured
 *       batch, and the node's during each warm-up batch of the first scenario (its warm-up curve),
 *       and its RSS; then sends {@code --large-bodies} bodies near {@code max_body_bytes} from all
 *       connections at once.
 * </ol>
 *
 * <p>Exit status: 0; 2 when {@code --max-seconds} cut the run short (the report says so); 1 when
 * it failed (a child did not start, an answer was not 200); 3 when the watchdog had to give up;
 * 64 for a bad argument.
 *
 * <p>Both children and this JVM share the machine's cores; on a small machine the numbers
 * include that contention (for both paths), which the report states.
 */
public final class ProxyBenchmark {

  static final List<String> CHILD_JVM_FLAGS = List.of("-Xms256m", "-Xmx256m");
  private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** The watchdog's grace after the deadline before it exits whatever the main thread is doing. */
  private static final long WATCHDOG_GRACE_MS = 15_000;

  private final BenchOptions options;
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private boolean truncated;

  private ChildProcess simulator;
  private ChildProcess node;
  private ProcCpu simCpu;
  private ProcCpu nodeCpu;
  private ProcCpu clientCpu;
  private ChildProcess floor;
  private ProcCpu floorCpu;
  /** The node's CPU per request (µs, all threads, JIT included) in each warm-up batch of the first scenario. */
  private final List<Double> warmupCurve = new ArrayList<>();
  private long rssIdle;
  private long rssPeak;
  /** Clock ticks per second of the /proc CPU counters. */
  private long ticks;

  private ProxyBenchmark(BenchOptions options) {
    this.options = options;
    this.deadlineNanos = startNanos + TimeUnit.SECONDS.toNanos(options.maxSeconds());
  }

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ProxyBenchmark: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(64);
      return;
    }
    int code;
    try {
      code = new ProxyBenchmark(options).run();
    } catch (Exception e) {
      System.err.println("ProxyBenchmark failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  private int run() throws Exception {
    if (!Files.isRegularFile(options.jar())) {
      throw new IllegalStateException(options.jar() + " not found: run 'mvn -B -q -DskipTests package test-compile' first");
    }
    Path outDir = options.out().toAbsolutePath().getParent();
    Files.createDirectories(outDir);
    Path work = Files.createTempDirectory("turnout-bench-");
    Thread hook = new Thread(() -> {
      stopChildren();
      deleteTree(work);
    }, "bench-children-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    startWatchdog();
    Vertx vertx = Vertx.vertx();
    try {
      return measure(vertx, work, outDir);
    } finally {
      vertx.close().await();
      stopChildren();
      deleteTree(work);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private int measure(Vertx vertx, Path work, Path outDir) throws Exception {
    int simPort;
    int nodePort;
    int floorPort;
    try (ServerSocket first = BenchConfig.reservePort(); ServerSocket second = BenchConfig.reservePort();
        ServerSocket third = BenchConfig.reservePort()) {
      simPort = first.getLocalPort();
      nodePort = second.getLocalPort();
      floorPort = third.getLocalPort();
    }
    String key = "bench-" + UUID.randomUUID();
    String childJava = startChildren(work, outDir, simPort, nodePort, floorPort, key);
    awaitReady(vertx, simulator, simPort, "/_sim/providers");
    awaitReady(vertx, node, nodePort, "/v1/models");
    awaitReady(vertx, floor, floorPort, "/_sim/providers");
    long readyNanos = System.nanoTime();
    rssIdle = nodeCpu.rssBytes();

    Context context = vertx.getOrCreateContext();
    MultiMap json = HttpHeaders.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
    MultiMap withKey = HttpHeaders.headers().addAll(json).set(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    String chat = "/v1/chat/completions";
    String directUri = "/" + BenchConfig.PROVIDER + chat;
    Buffer directBody = requestBody(BenchConfig.PROVIDER_MODEL, false);
    Buffer nodeBody = requestBody(BenchConfig.ALIAS, false);
    Buffer directStreamBody = requestBody(BenchConfig.PROVIDER_MODEL, true);
    Buffer nodeStreamBody = requestBody(BenchConfig.ALIAS, true);
    int c = options.connections();
    List<Scenario> scenarios = new ArrayList<>();
    for (int conns : c == 1 ? List.of(1) : List.of(1, c)) {
      String suffix = conns == 1 ? ", 1 connection" : ", " + conns + " connections";
      scenarios.add(new Scenario("plain" + suffix, conns, false, conns == 1 ? options.warmup() : options.streamWarmup(),
          options.requests(), List.of(
          lane("direct", new SequentialClient(vertx, context, simPort, directUri, withKey, directBody, conns, 200)),
          lane("floor proxy", new SequentialClient(vertx, context, floorPort, directUri, json, directBody, conns, 200)),
          lane("via node", new SequentialClient(vertx, context, nodePort, chat, json, nodeBody, conns, 200)))));
      scenarios.add(new Scenario("stream" + suffix, conns, true, options.streamWarmup(), options.streamRequests(),
          List.of(
          lane("direct", new SequentialClient(vertx, context, simPort, directUri, withKey, directStreamBody, conns, 200)),
          lane("floor proxy", new SequentialClient(vertx, context, floorPort, directUri, json, directStreamBody, conns,
              200)),
          lane("via node", new SequentialClient(vertx, context, nodePort, chat, json, nodeStreamBody, conns, 200)))));
      scenarios.add(new Scenario("fallback" + suffix, conns, false, options.streamWarmup(), options.streamRequests(),
          List.of(
          lane("direct to the failing provider (500)", new SequentialClient(vertx, context, simPort,
              "/" + BenchConfig.FAILING + chat, withKey, directBody, conns, 500)),
          lane("via node (500, then fallback 200)", new SequentialClient(vertx, context, nodePort, chat, json,
              requestBody(BenchConfig.FALLBACK_ALIAS, false), conns, 200)))));
    }
    int answerBytes = sanityCheck(scenarios.get(0).lanes().get(0).client(), scenarios.get(0).lanes().get(2).client(),
        scenarios.get(1).lanes().get(0).client(), scenarios.get(1).lanes().get(2).client());
    for (Scenario scenario : scenarios) {
      progress("%s: %,d warm-up and %,d measured per path", scenario.name(), scenario.warmup(), scenario.requests());
      rounds(scenario, scenario.warmup(), false, scenario == scenarios.get(0));
      rounds(scenario, scenario.requests(), true, false);
    }
    long rssLoad = rssPeak;
    String largeBodies = largeBodies(vertx, context, nodePort, chat, json);
    ProcCpu.Sample nodeLifetimeCpu = nodeCpu.sample();
    ProcCpu.Sample simLifetimeCpu = simCpu.sample();
    long servedByNode = 0;
    for (Scenario scenario : scenarios) {
      servedByNode += scenario.warmup() + scenario.lanes().get(scenario.lanes().size() - 1).tally().requests;
    }
    Scenario plain = scenarios.get(0);
    Scenario streams = scenarios.get(1);
    BenchReport.Run run = new BenchReport.Run(options, BenchReport.Machine.probe(childJava, ticks),
        directBody.length(), nodeBody.length(), answerBytes, plain.tally(0), plain.tally(2), streams.tally(0),
        streams.tally(2), nodeLifetimeCpu, simLifetimeCpu, servedByNode, (readyNanos - startNanos) / 1e9,
        (System.nanoTime() - startNanos) / 1e9, truncated);
    String report = BenchReport.render(run) + FloorReport.render(scenarios, options.pin())
        + FloorReport.warmup(warmupCurve, options.batch(), plain.tally(2))
        + String.format(java.util.Locale.ROOT, "%n## Memory: the node's resident set (VmRSS)%n%n| | MB |%n|---|---:|%n"
            + "| idle, after start | %.0f |%n| peak while measured (sampled after every batch) | %.0f |%n%s",
            rssIdle / 1e6, rssLoad / 1e6, largeBodies);
    System.out.println(report);
    Files.writeString(options.out(), report, StandardCharsets.UTF_8);
    if (options.raw()) {
      plain.tally(0).latency.writeTo(outDir.resolve("latencies-direct.csv"));
      plain.tally(2).latency.writeTo(outDir.resolve("latencies-node.csv"));
      streams.tally(0).latency.writeTo(outDir.resolve("latencies-direct-ttfc.csv"));
      streams.tally(2).latency.writeTo(outDir.resolve("latencies-node-ttfc.csv"));
    }
    progress("report written to %s", options.out());
    return truncated ? 2 : 0;
  }

  /** One path of a scenario: its client and what its measured batches accumulated. */
  record Lane(SequentialClient client, Tally tally) {}

  /**
   * One load shape (plain, streaming or fallback, at some connections), measured on every lane
   * in alternating batches.
   */
  record Scenario(String name, int connections, boolean streaming, int warmup, int requests, List<Lane> lanes) {
    Tally tally(int lane) {
      return lanes.get(lane).tally();
    }
  }

  private Lane lane(String name, SequentialClient client) {
    return new Lane(client, new Tally(name, Math.max(options.requests(), options.streamRequests()), true));
  }

  /**
   * Writes both configs and starts the simulator and the node with the same {@code java} and heap
   * flags as each other; returns what {@code java -version} of such a child says, with its flags.
   */
  private String startChildren(Path work, Path outDir, int simPort, int nodePort, int floorPort, String key)
      throws IOException, InterruptedException {
    BenchConfig.writeSimulator(work.resolve("simulator"), simPort, key);
    BenchConfig.writeNode(work.resolve("node"), nodePort, simPort, key, options.largeBodies() > 0);
    String jar = options.jar().toAbsolutePath().toString();
    List<String> jvm = new ArrayList<>(List.of(ChildProcess.currentJava()));
    jvm.addAll(CHILD_JVM_FLAGS);
    String childJava = ChildProcess.run(concat(jvm, "-XX:+PrintCommandLineFlags", "-version"), 30)
        .replace(" -XX:+PrintCommandLineFlags", "");
    simulator = ChildProcess.start("simulator",
        pinned("0", concat(jvm, "-jar", jar, "simulator", "--conf", work.resolve("simulator").toString())),
        outDir.resolve("simulator.log"));
    List<String> nodeJvm = concat(jvm);
    nodeJvm.addAll(options.nodeJvmArgs());
    node = ChildProcess.start("node", pinned("1", concat(nodeJvm, "-jar", jar, "--conf",
        work.resolve("node").toString())), outDir.resolve("node.log"));
    String classpath = jar + java.io.File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
    floor = ChildProcess.start("floor proxy", pinned("1", concat(jvm, "-cp", classpath, FloorProxy.class.getName(),
        Integer.toString(floorPort), Integer.toString(simPort), "", key)), outDir.resolve("floor.log"));
    ticks = ProcCpu.ticksPerSecond();
    simCpu = ProcCpu.of(simulator.pid(), ticks);
    nodeCpu = ProcCpu.of(node.pid(), ticks);
    floorCpu = ProcCpu.of(floor.pid(), ticks);
    clientCpu = ProcCpu.of(ProcessHandle.current().pid(), ticks);
    return childJava;
  }

  /**
   * {@code perPath} requests on each lane of the scenario in alternating batches (which lane goes
   * first rotates every round). Measured: latency per request, and wall and CPU time of every
   * process around each batch.
   */
  private void rounds(Scenario scenario, int perPath, boolean measured, boolean curve) {
    int done = 0;
    int round = 0;
    List<Lane> lanes = scenario.lanes();
    while (done < perPath) {
      if (System.nanoTime() - deadlineNanos > 0) {
        truncated = true;
        return;
      }
      int size = Math.min(options.batch(), perPath - done);
      for (int i = 0; i < lanes.size(); i++) {
        Lane lane = lanes.get((i + round) % lanes.size());
        boolean nodeLane = lane == lanes.get(lanes.size() - 1);
        long cpu0 = curve && nodeLane ? nodeCpu.cpuNanos() : 0;
        batch(lane.client(), measured ? lane.tally() : null, size, scenario.streaming());
        if (curve && nodeLane) {
          warmupCurve.add((nodeCpu.cpuNanos() - cpu0) / 1_000.0 / size);
        }
      }
      done += size;
      round++;
    }
  }

  private void batch(SequentialClient client, Tally tally, int size, boolean streaming) {
    if (tally == null) {
      int sent = (streaming ? client.streams(size, null, null, deadlineNanos)
          : client.completions(size, null, deadlineNanos)).await();
      truncated |= sent < size;
      return;
    }
    ProcCpu.Sample node0 = nodeCpu.sample();
    ProcCpu.Sample sim0 = simCpu.sample();
    ProcCpu.Sample floor0 = floorCpu.sample();
    long client0 = clientCpu.cpuNanos();
    long wall0 = System.nanoTime();
    int sent = (streaming ? client.streams(size, tally.latency, tally.whole, deadlineNanos)
        : client.completions(size, tally.latency, deadlineNanos)).await();
    long wall1 = System.nanoTime();
    tally.clientCpuNanos += clientCpu.cpuNanos() - client0;
    tally.simCpu = tally.simCpu.plus(simCpu.sample().minus(sim0));
    tally.nodeCpu = tally.nodeCpu.plus(nodeCpu.sample().minus(node0));
    tally.floorCpu = tally.floorCpu.plus(floorCpu.sample().minus(floor0));
    tally.wallNanos += wall1 - wall0;
    tally.requests += sent;
    truncated |= sent < size;
    rssPeak = Math.max(rssPeak, nodeCpu.rssBytes());
  }

  /**
   * {@code --large-bodies} requests with bodies just under the node's {@code max_body_bytes}, from
   * the concurrent scenarios' connections at once, in rounds of one per connection; the node's
   * body budget holds some of them off with 503. Returns the report's rows.
   */
  private String largeBodies(Vertx vertx, Context context, int nodePort, String uri, MultiMap json) {
    int n = options.largeBodies();
    if (n == 0) {
      return "";
    }
    JsonObject body = requestBody(BenchConfig.ALIAS, false).toJsonObject();
    String filler = "x".repeat(BenchConfig.MAX_BODY_BYTES - body.encode().length() - 4_096);
    body.getJsonArray("messages").getJsonObject(1).put("content", filler);
    int conns = options.connections();
    SequentialClient client = new SequentialClient(vertx, context, nodePort, uri, json, body.toBuffer(), conns,
        SequentialClient.BUSY_ALLOWED);
    progress("large bodies: %,d requests of %,d bytes from %d connections", n, body.toBuffer().length(), conns);
    long peak = 0;
    int sent = 0;
    while (sent < n && System.nanoTime() - deadlineNanos < 0) {
      int size = Math.min(conns, n - sent);
      sent += client.completions(size, null, deadlineNanos).await();
      peak = Math.max(peak, nodeCpu.rssBytes());
    }
    return String.format(java.util.Locale.ROOT, "| peak with %,d bodies of %,d bytes, %d at a time (http.max_body_bytes"
        + " %,d, max_body_bytes_in_flight %,d): %,d answered 200, %,d refused 503 | %.0f |%n", sent,
        body.toBuffer().length(), conns, BenchConfig.MAX_BODY_BYTES, BenchConfig.BODY_BYTES_IN_FLIGHT, sent - client.busy,
        client.busy, peak / 1e6);
  }

  /** One request on each path, read whole: the load must measure answers, not errors. */
  private static int sanityCheck(SequentialClient direct, SequentialClient proxied, SequentialClient directStream,
      SequentialClient proxiedStream) {
    SequentialClient.Answer viaSim = direct.once().await();
    SequentialClient.Answer viaNode = proxied.once().await();
    for (SequentialClient.Answer answer : List.of(viaSim, viaNode)) {
      if (answer.status() != 200 || !(answer.body().toJsonObject().getValue("choices") instanceof JsonArray)) {
        throw new IllegalStateException("unexpected answer: HTTP " + answer.status() + " " + answer.body());
      }
    }
    for (SequentialClient client : List.of(directStream, proxiedStream)) {
      SequentialClient.Answer answer = client.once().await();
      if (answer.status() != 200 || !answer.body().toString().contains("data: [DONE]")) {
        throw new IllegalStateException("unexpected stream: HTTP " + answer.status() + " " + answer.body());
      }
    }
    if (viaNode.body().length() != viaSim.body().length()) {
      progress("note: answer sizes differ (direct %d bytes, via node %d bytes)", viaSim.body().length(),
          viaNode.body().length());
    }
    return viaSim.body().length();
  }

  /** A small, typical chat request; {@code model} is the provider's model id or the node's alias. */
  static Buffer requestBody(String model, boolean stream) {
    JsonObject body = new JsonObject()
        .put("model", model)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "You are a concise support assistant."))
            .add(new JsonObject().put("role", "user").put("content",
                "Summarise this ticket in one sentence: the customer cannot reset their password because the"
                    + " reset email never arrives, and they have already checked their spam folder.")))
        .put("max_tokens", 64)
        .put("temperature", 0.2);
    if (stream) {
      body.put("stream", true);
    }
    return body.toBuffer();
  }

  private void awaitReady(Vertx vertx, ChildProcess child, int port, String uri) throws InterruptedException {
    HttpClientAgent client = vertx.createHttpClient();
    try {
      long limit = Math.min(deadlineNanos, System.nanoTime() + READY_TIMEOUT_NANOS);
      RequestOptions probe = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
          .setURI(uri).setIdleTimeout(1_000);
      while (true) {
        if (!child.alive()) {
          throw new IllegalStateException(child.name() + " exited before it was ready:\n" + child.logTail(20));
        }
        Future<Integer> status = client.request(probe).compose(req -> req.send())
            .compose(resp -> resp.body().map(b -> resp.statusCode()));
        try {
          if (status.await(2, TimeUnit.SECONDS) == 200) {
            progress("%s ready on 127.0.0.1:%d (pid %d)", child.name(), port, child.pid());
            return;
          }
        } catch (Exception notYet) {
          // refused or timed out: not listening yet
        }
        if (System.nanoTime() - limit > 0) {
          throw new IllegalStateException(child.name() + " not ready in time:\n" + child.logTail(20));
        }
        Thread.sleep(50);
      }
    } finally {
      client.close();
    }
  }

  /** Exits the JVM (the shutdown hook kills the children) if the main thread overruns the deadline. */
  private void startWatchdog() {
    long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) + WATCHDOG_GRACE_MS;
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("ProxyBenchmark: still running " + WATCHDOG_GRACE_MS / 1000
          + " s after the deadline; giving up");
      stopChildren();
      Runtime.getRuntime().halt(3);
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private synchronized void stopChildren() {
    for (ChildProcess child : new ChildProcess[] {node, floor, simulator}) {
      if (child != null) {
        child.stop();
      }
    }
  }

  /** The command under {@code taskset -c cpu} when {@code --pin} was given, else as it is. */
  private List<String> pinned(String cpu, List<String> command) {
    if (!options.pin()) {
      return command;
    }
    List<String> all = new ArrayList<>(List.of("taskset", "-c", cpu));
    all.addAll(command);
    return all;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }

  private static void progress(String format, Object... args) {
    System.err.println("[bench] " + String.format(format, args));
  }
}
