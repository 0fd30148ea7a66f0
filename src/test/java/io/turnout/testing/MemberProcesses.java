package io.turnout.testing;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Turnout cluster members as separate JVM processes, started the way an operator starts them
 * ({@code io.turnout.Main --conf DIR}, {@code cluster.enabled: true}, the shipped
 * {@code cluster/cluster.xml}), each with a directory of its own ({@code conf/turnout.yaml},
 * {@code conf/routes.yaml}, {@code conf/audit.jsonl}) that survives its restarts. A member's
 * network is either the shipped XML's, moved to a free port block on 127.0.0.1 (the default), or
 * the multi-host settings of {@code turnout.yaml} ({@link MemberNetwork#explicit}). {@link #close()}
 * ends every child, a paused one too.
 */
public final class MemberProcesses implements AutoCloseable {

  public static final String TOKEN = "process-admin-token";
  /** chat-v1 (primary), chat-v2 (fallback), chat-off (disabled); chat-v1 active. */
  public static final String ROUTES = ClusterRoutes.WITH_DISABLED;
  /** Whole JVM start to ready; generous, the 2-core CI machine is shared. */
  private static final long READY_MS = 60_000;

  private final Vertx vertx;
  private final Path root;
  private final Sim sim;
  private final String clusterName = "turnout-proc-" + UUID.randomUUID();
  private final List<Process> processes = new ArrayList<>();
  private String clusterXml;
  private int expectedMembers;
  private boolean quickStart = true;

  public MemberProcesses(Vertx vertx, Path root, Sim sim) throws IOException {
    this.vertx = vertx;
    this.root = root;
    this.sim = sim;
    this.clusterXml = shippedClusterXmlOnFreePorts();
  }

  /** {@code cluster.expected_members} of every member launched from now on. */
  public MemberProcesses expecting(int members) {
    this.expectedMembers = members;
    return this;
  }

  /** Members launched from now on run with the full JIT (for benchmarks). */
  public MemberProcesses fullJit() {
    this.quickStart = false;
    return this;
  }

  /** Sets Hazelcast properties (e.g. short heartbeat timeouts) in the XML of every member launched from now on. */
  public MemberProcesses hazelcastProperties(Map<String, String> properties) {
    for (Map.Entry<String, String> p : properties.entrySet()) {
      String pattern = "<property name=\"" + p.getKey().replace(".", "\\.") + "\">[^<]*</property>";
      String property = "<property name=\"" + p.getKey() + "\">" + p.getValue() + "</property>";
      clusterXml = clusterXml.matches("(?s).*" + pattern + ".*") ? clusterXml.replaceAll(pattern, property)
          : clusterXml.replace("<properties>", "<properties>\n    " + property);
    }
    return this;
  }

  /**
   * How long Hazelcast's TCP-IP joiner waits to connect to a listed address: also how long a
   * master's split-brain check can hang on a frozen member, during which its heartbeats lapse,
   * so keep {@code hazelcast.max.no.heartbeat.seconds} well above it.
   */
  public MemberProcesses tcpIpConnectionTimeoutSeconds(int seconds) {
    clusterXml = clusterXml.replace("<tcp-ip enabled=\"true\">",
        "<tcp-ip enabled=\"true\" connection-timeout-seconds=\"" + seconds + "\">");
    return this;
  }

  /** The shipped XML unchanged (the multi-host settings of turnout.yaml then say everything). */
  public MemberProcesses shippedClusterXml() throws IOException {
    clusterXml = Files.readString(Path.of("cluster/cluster.xml"));
    return this;
  }

  public String clusterName() {
    return clusterName;
  }

  /** The first port of the free block the default XML lists (for a lite member on it). */
  public int basePort() {
    return LoopbackHazelcast.basePort(clusterName);
  }

  /** Starts (or restarts, keeping its routes.yaml and audit log) member {@code name}, and waits until it is ready. */
  public MemberProcess launch(String name, MemberNetwork net) throws IOException {
    MemberProcess member = start(name, net);
    member.awaitReady(READY_MS);
    return member;
  }

  /** Starts member {@code name} without waiting for it. */
  public MemberProcess start(String name, MemberNetwork net) throws IOException {
    Path dir = root.resolve(name);
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.createDirectories(dir.resolve("cluster"));
    Files.writeString(dir.resolve("cluster/cluster.xml"), clusterXml);
    Files.writeString(conf.resolve("token"), TOKEN);
    Files.writeString(conf.resolve("k1"), Sim.PRIMARY_KEY);
    Files.writeString(conf.resolve("k2"), Sim.COMETAPI_KEY);
    Files.writeString(conf.resolve("turnout.yaml"), """
        node: {name: %s}
        http: {host: %s, port: %d, instances: 1}
        routing: {watch: false, expiry_check_ms: 200}
        providers:
          primary: {kind: openai, base_url: "%s", auth: {key: "file:k1"}}
          cometapi: {kind: openai, base_url: "%s", auth: {key: "file:k2"}}
        admin: {host: %s, tokens: {alice: "file:token"}, port: %d}
        audit: {file: audit.jsonl}
        cluster: {enabled: true, name: %s, expected_members: %d, %s}
        probes: {required: false}
        """.formatted(name, net.host(), net.httpPort(), sim.baseUrl("primary"), sim.baseUrl("cometapi"), net.host(),
        net.adminPort(), clusterName, expectedMembers, net.clusterYaml()));
    if (!Files.exists(conf.resolve("routes.yaml"))) {
      Files.writeString(conf.resolve("routes.yaml"), ROUTES);
    }
    List<String> command = javaCommand(quickStart);
    command.addAll(List.of("io.turnout.Main", "--conf", conf.toString()));
    Path log = dir.resolve("node-" + processes.size() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    List.of("TURNOUT_HTTP_PORT", "TURNOUT_CONF_DIR", "TURNOUT_CLUSTER_HOST", "TURNOUT_CLUSTER_PUBLIC_HOST",
        "TURNOUT_CLUSTER_PORT", "TURNOUT_EVENT_BUS_PORT", "TURNOUT_NODE_NAME", "JAVA_TOOL_OPTIONS").forEach(builder.environment()::remove);
    Process process = builder.start();
    processes.add(process);
    return new MemberProcess(vertx, name, dir, log, process, net);
  }

  /** The JVM that runs this one, with the test classpath and the flags vertx-hazelcast wants. */
  public static List<String> javaCommand() {
    return javaCommand(true);
  }

  /**
   * @param quickStart C1 only ({@code -XX:TieredStopAtLevel=1}): a test's short-lived JVM starts
   *     faster and leaves the shared cores to the others; a benchmark wants the full JIT
   */
  public static List<String> javaCommand(boolean quickStart) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(List.of("--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "-Xmx256m"));
    if (quickStart) {
      command.add("-XX:TieredStopAtLevel=1");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  /** Starts a child that is not a member (e.g. a JVM service), ended with the members. */
  public Process startOther(List<String> command, Path out) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    processes.add(process);
    return process;
  }

  /** A free port on 127.0.0.1. */
  public static int freePort() throws IOException {
    // Below the kernel's ephemeral range (32768+) and below LoopbackHazelcast's blocks (20000+): a port
    // picked there is never handed to an outgoing connection between being chosen and being bound.
    for (int tries = 0; tries < 1_000; tries++) {
      int port = 10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port in 10000-19999 on loopback");
  }

  /** Ports this JVM chose already: never chosen twice (a stopped member's port may still be in TIME_WAIT). */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The shipped cluster.xml with its port and member list moved to this cluster's own free port
   * block, so the processes never join another test run's members on 5701.
   */
  private String shippedClusterXmlOnFreePorts() throws IOException {
    int base = LoopbackHazelcast.basePort(clusterName);
    String xml = Files.readString(Path.of("cluster/cluster.xml"));
    StringBuilder members = new StringBuilder();
    for (int port = base; port < base + LoopbackHazelcast.PORTS; port++) {
      members.append("<member>127.0.0.1:").append(port).append("</member>\n");
    }
    String moved = xml.replaceAll("(?s)<tcp-ip enabled=\"true\">.*?</tcp-ip>",
            "<tcp-ip enabled=\"true\">\n" + members + "</tcp-ip>")
        .replaceAll("<port auto-increment=\"true\" port-count=\"\\d+\">5701</port>",
            "<port auto-increment=\"true\" port-count=\"" + LoopbackHazelcast.PORTS + "\">" + base + "</port>");
    if (moved.contains(">5701</port>") || moved.contains(":5701<")) {
      throw new IllegalStateException("cluster/cluster.xml no longer has the shape this test rewrites");
    }
    return moved;
  }

  /** Ends every child: a paused one is continued first, so that it can die. */
  @Override
  public void close() {
    for (Process p : processes) {
      if (p.isAlive()) {
        MemberProcess.signal(p.pid(), "CONT");
        p.destroyForcibly();
      }
    }
    for (Process p : processes) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
