package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @TempDir
  Path root;
  private Vertx vertx;
  private MemberProcesses members;

  @BeforeEach
  void start(Vertx v) throws IOException {
    vertx = v;
    members = new MemberProcesses(vertx, root, Sim.start(vertx));
  }

  @AfterEach
  void stop() {
    members.close();
  }

  @Test
  void flipsReachTheOtherProcess_aKilledMemberLeavesTheSurvivorConsistent_andRejoinsOnTheCurrentRevision()
      throws Exception {
    MemberProcess a = members.launch("a", MemberNetwork.loopback());
    MemberProcess b = members.launch("b", MemberNetwork.loopback());

    // a flip on A is applied by B
    assertEquals(200, a.flip("chat-v2").status());
    Eventually.await(vertx, "B serves chat-v2", 10_000, () -> "chat-v2".equals(b.servedBy()));

    // B is killed (SIGKILL) in the middle of a series of flips on A
    String last = "chat-v2";
    for (int i = 0; i < 6; i++) {
      if (i == 2) {
        b.kill();
      }
      last = i % 2 == 0 ? "chat-v1" : "chat-v2";
      TestHttp.Response flip = a.flip(last);
      assertEquals(200, flip.status(), flip.text());
    }
    long revision = a.revision();
    assertEquals(last, a.servedBy(), "the survivor serves its last flip");

    // B restarts and rejoins on the current revision, not its file's
    // Fresh ports: the killed member's may have been handed out as ephemeral ports meanwhile.
    MemberProcess back = members.launch("b", MemberNetwork.loopback());
    assertEquals(last, back.servedBy());
    String expected = last;
    Eventually.await(vertx, "both at revision " + revision, 10_000, () -> {
      JsonObject acks = back.routes().getJsonObject("members");
      return acks.size() == 2 && acks.stream().allMatch(e ->
          ((JsonObject) e.getValue()).getLong("revision") == revision) && expected.equals(a.servedBy());
    });
  }

  @Test
  void aJvmServiceInItsOwnProcess_getsACompletionOverTheBus_andSeesAFlip() throws Exception {
    MemberProcess node = members.launch("a", MemberNetwork.loopback());
    Path out = root.resolve("service.out");
    List<String> command = MemberProcesses.javaCommand();
    command.addAll(List.of("io.turnout.controlplane.cluster.JvmServiceMain", members.clusterName(), "chat",
        String.valueOf(members.basePort())));
    members.startOther(command, out);

    Eventually.await(vertx, "the service's completion", 30_000, () -> read(out).contains("COMPLETION "));
    assertTrue(read(out).contains("LITE true"), "the service joined as a lite member: " + read(out));
    assertTrue(read(out).contains("\"object\":\"chat.completion\""), read(out));

    assertEquals(200, node.flip("chat-v2").status());
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
}
