package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.LoopbackHazelcast;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster members as separate JVM processes started the way an operator starts them
 * ({@code io.turnout.Main --conf DIR}, {@code cluster.enabled: true}, the shipped
 * {@code cluster/cluster.xml} with its own cluster name): a flip on one reaches the other, a
 * member killed with SIGKILL during a series of flips leaves the survivor consistent, and the
 * restarted member rejoins on the current revision.
 */
@ExtendWith(VertxExtension.class)
class ClusterProcessesTest {

  private static final String TOKEN = "process-admin-token";
  /** The same two-version map as the in-JVM cluster tests. */
  private static final String ROUTES = ClusterRouteStateTest.ROUTES;


  @TempDir
  Path root;
  private Vertx vertx;
  private Sim sim;
  private final String clusterName = "turnout-proc-" + UUID.randomUUID();
  private final List<Process> processes = new ArrayList<>();

  /** A member process: its client listener ({@code http}, {@code port}) and its admin listener. */
  private record Member(String name, Process process, TestHttp http, int port, TestHttp adminHttp) {}

  @BeforeEach
  void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void flipsReachTheOtherProcess_aKilledMemberLeavesTheSurvivorConsistent_andRejoinsOnTheCurrentRevision()
      throws Exception {
    Member a = launch("a", freePort());
    Member b = launch("b", freePort());

    // a flip on A is applied by B
    assertEquals(200, flip(a, "chat-v2").status());
    Eventually.await(vertx, "B serves chat-v2", 10_000, () -> "chat-v2".equals(servedBy(b)));

    // B is killed (SIGKILL) in the middle of a series of flips on A
    String last = "chat-v2";
    for (int i = 0; i < 6; i++) {
      if (i == 2) {
        b.process().destroyForcibly().waitFor();
      }
      last = i % 2 == 0 ? "chat-v1" : "chat-v2";
      TestHttp.Response flip = flip(a, last);
      assertEquals(200, flip.status(), flip.text());
    }
    long revision = admin(a, "/admin/routes").json().getLong("revision");
    assertEquals(last, servedBy(a), "the survivor serves its last flip");

    // B restarts and rejoins on the current revision, not its file's
    Member back = launch("b", b.port());
    assertEquals(last, servedBy(back));
    String expected = last;
    Eventually.await(vertx, "both at revision " + revision, 10_000, () -> {
      JsonObject members = admin(back, "/admin/routes").json().getJsonObject("members");
      return members.size() == 2 && members.stream().allMatch(e ->
          ((JsonObject) e.getValue()).getLong("revision") == revision) && expected.equals(servedBy(a));
    });
  }

  @Test
  void aJvmServiceInItsOwnProcess_getsACompletionOverTheBus_andSeesAFlip() throws Exception {
    Member node = launch("a", freePort());
    Path out = root.resolve("service.out");
    List<String> command = javaCommand();
    command.addAll(List.of("io.turnout.controlplane.cluster.JvmServiceMain", clusterName, "chat",
        String.valueOf(LoopbackHazelcast.basePort(clusterName))));
    Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    processes.add(service);

    Eventually.await(vertx, "the service's completion", 30_000, () -> read(out).contains("COMPLETION "));
    assertTrue(read(out).contains("LITE true"), "the service joined as a lite member: " + read(out));
    assertTrue(read(out).contains("\"object\":\"chat.completion\""), read(out));

    assertEquals(200, flip(node, "chat-v2").status());
    Eventually.await(vertx, "the service sees the flip", 10_000,
        () -> read(out).lines().anyMatch(l -> l.startsWith("EVENT ") && l.contains("\"type\":\"changed\"")
            && l.contains("\"to\":\"chat-v2\"")));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(List.of("--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    return command;
  }

  /**
   * The shipped cluster.xml with its port and member list moved to this test's own free port
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

  private Member launch(String name, int port) throws Exception {
    // Every launch gets a free admin port of its own: a process never takes the default 8081.
    int adminPort = freePort();
    Path dir = root.resolve(name);
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.createDirectories(dir.resolve("cluster"));
    Files.writeString(dir.resolve("cluster/cluster.xml"), shippedClusterXmlOnFreePorts());
    Files.writeString(conf.resolve("token"), TOKEN);
    Files.writeString(conf.resolve("k1"), Sim.PRIMARY_KEY);
    Files.writeString(conf.resolve("k2"), Sim.COMETAPI_KEY);
    Files.writeString(conf.resolve("turnout.yaml"), """
        node: {name: %s}
        http: {host: 127.0.0.1, port: %d, instances: 1}
        routing: {watch: false, expiry_check_ms: 200}
        providers:
          primary: {kind: openai, base_url: "%s", auth: {key: "file:k1"}}
          cometapi: {kind: openai, base_url: "%s", auth: {key: "file:k2"}}
        admin: {tokens: {alice: "file:token"}, port: %d}
        cluster: {enabled: true, name: %s, event_bus_port: %d}
        probes: {required: false}
        """.formatted(name, port, sim.baseUrl("primary"), sim.baseUrl("cometapi"), adminPort, clusterName, freePort()));
    Files.writeString(conf.resolve("routes.yaml"), ROUTES);
    List<String> command = javaCommand();
    command.addAll(List.of("io.turnout.Main", "--conf", conf.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("node-" + processes.size() + ".log").toFile()).start();
    processes.add(process);
    TestHttp http = new TestHttp(vertx, port);
    Eventually.await(vertx, name + " ready", 30_000, () -> {
      assertTrue(process.isAlive(), name + " exited: see " + dir);
      try {
        return http.send(HttpMethod.GET, "/health/ready", null).status() == 200;
      } catch (Exception notYet) {
        return false;
      }
    });
    return new Member(name, process, http, port, new TestHttp(vertx, adminPort));
  }

  private static TestHttp.Response flip(Member m, String version) {
    return m.adminHttp().send(HttpMethod.POST, "/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", version).put("reason", "test").toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN)
            .add("content-type", "application/json"));
  }

  private static TestHttp.Response admin(Member m, String path) {
    return m.adminHttp().send(HttpMethod.GET, path, null,
        MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN));
  }

  private static String servedBy(Member m) {
    return m.http().chat(ChatRequests.plain("chat")).header("x-turnout-route-version");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

}
