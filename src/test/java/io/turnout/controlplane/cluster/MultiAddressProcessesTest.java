package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.MemberProcess;
import io.turnout.testing.MemberProcesses;
import io.turnout.testing.MemberNetwork;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes, each on its own loopback address (127.0.1.1-3, as three hosts), set up
 * exactly as the README's "Several hosts" says: the shipped {@code cluster.xml} unchanged (its
 * loopback interface and member list are not what these members use), and in each
 * {@code turnout.yaml} {@code cluster.host}, {@code cluster.port} (the same on every address),
 * {@code cluster.event_bus_port}, {@code cluster.members} and {@code expected_members: 3}. A flip
 * on one member reaches all three, every member acknowledges the revision, and each member listens
 * on its own address only, on exactly its client, admin, Hazelcast and event-bus ports: the two
 * cluster ports are all that must be open between hosts.
 */
@ExtendWith(VertxExtension.class)
class MultiAddressProcessesTest {

  static final List<String> HOSTS = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");

  @TempDir
  Path root;
  private Vertx vertx;
  private MemberProcesses processes;

  @BeforeEach
  void start(Vertx v) throws IOException {
    vertx = v;
    processes = new MemberProcesses(vertx, root, Sim.start(vertx)).shippedClusterXml().expecting(3);
  }

  @AfterEach
  void stop() {
    processes.close();
  }

  @Test
  void membersOnThreeAddresses_formOneCluster_aFlipReachesAll_andEachListensOnItsOwnAddressOnly() throws Exception {
    List<MemberProcess> members = new ArrayList<>();
    for (MemberNetwork net : MemberNetwork.onAddresses(HOSTS)) {
      members.add(processes.launch("m" + (members.size() + 1), net));
    }
    for (MemberProcess m : members) {
      Eventually.await(vertx, m.name() + " sees 3 members", 30_000, () -> m.clusterDetail().getInteger("members") == 3);
      assertTrue(m.clusterDetail().getBoolean("has_quorum"), m.clusterDetail().encode());
      m.awaitJoined(30_000);
    }

    // WHEN an operator flips the scope on member 1
    TestHttp.Response flip = members.get(0).flip("chat-v2");
    assertEquals(200, flip.status(), flip.text());
    long revision = flip.json().getLong("revision");

    // THEN every member serves that revision and pointer, and every member's list says all 3 apply it
    for (MemberProcess m : members) {
      Eventually.await(vertx, m.name() + " at revision " + revision, 15_000, () -> m.revision() == revision);
      assertEquals("chat-v2", m.pointer());
      assertEquals("chat-v2", m.servedBy());
      Eventually.await(vertx, m.name() + " lists 3 members at " + revision, 15_000, () -> {
        JsonObject acks = m.routes().getJsonObject("members");
        return acks.size() == 3 && acks.stream().allMatch(e -> ((JsonObject) e.getValue()).getLong("revision")
            == revision);
      });
    }

    // AND each member listens on its own address, on its configured ports and nothing else
    for (MemberProcess m : members) {
      MemberNetwork net = m.net();
      Set<String> expected = new TreeSet<>();
      for (int port : List.of(net.httpPort(), net.adminPort(), net.clusterPort(), net.eventBusPort())) {
        expected.add(net.host() + ":" + port);
        assertTrue(accepts(net.host(), port), m.name() + " accepts on " + net.host() + ":" + port);
        assertFalse(accepts("127.0.0.1", port), m.name() + "'s port " + port + " is not bound on 127.0.0.1 (nor on"
            + " every address)");
      }
      assertEquals(expected, listening(m.pid()), m.name() + "'s listening sockets (ss -ltnp)");
    }
  }

  @Test
  void aMemberWhoseClusterPortIsTaken_failsToStart_ratherThanListeningOnAPortNobodyOpened() throws Exception {
    MemberNetwork net = MemberNetwork.onAddresses(HOSTS).get(0);
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(net.host(), net.clusterPort()));

      MemberProcess m = processes.start("m1", net);

      // Hazelcast's XML has auto-increment on (loopback development): with a configured port it
      // must not move to the next one, which no firewall between hosts opened.
      Integer exit = m.awaitExit(60_000);
      assertTrue(exit != null && exit != 0, "the member must exit, not run on another port: exit " + exit + "\n"
          + m.output());
      assertTrue(m.output().contains(String.valueOf(net.clusterPort())), m.output());
    }
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** The TCP sockets process {@code pid} listens on, as {@code address:port}, from {@code ss -ltnpH}. */
  private static Set<String> listening(long pid) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ss.waitFor(10, TimeUnit.SECONDS) && ss.exitValue() == 0, "ss -ltnpH: " + out);
    Set<String> sockets = new TreeSet<>();
    for (String line : out.split("\n")) {
      if (line.contains("pid=" + pid + ",")) {
        String local = line.trim().split("\\s+")[3];
        sockets.add(local.replace("[::ffff:", "").replace("]", ""));
      }
    }
    return sockets;
  }
}
