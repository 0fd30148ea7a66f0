package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.AuditHistory;
import io.turnout.testing.Eventually;
import io.turnout.testing.MemberNetwork;
import io.turnout.testing.MemberProcess;
import io.turnout.testing.MemberProcesses;
import io.turnout.testing.Sim;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole-cluster restart of three member processes ({@code expected_members: 3}, each with its
 * own conf dir, route file and audit log) in every order that matters. Once, before the cases:
 * m3 stops, m1 flips twice (to chat-v2, then to the disabled chat-off) with m2 adopting, then m1
 * and m2 stop, so m3's log is stale. Each case restarts copies of those directories in its order;
 * the cluster must end on the newest audited revision and pointer on every member, no member's
 * log may go back to an older revision, and no revision number may stand for two pointer sets.
 */
class RestartOrderProcessesTest {

  private static Vertx vertx;
  private static Sim sim;
  @TempDir
  static Path before;
  /** The newest entry of the logs before the restart: the revision and pointers to end on. */
  private static JsonObject newest;

  @TempDir
  Path root;
  private MemberProcesses processes;

  @BeforeAll
  static void stopMemberThree_flipTwice_thenStopTheOthers() throws Exception {
    vertx = Vertx.vertx();
    sim = Sim.start(vertx);
    try (MemberProcesses first = new MemberProcesses(vertx, before, sim).expecting(3)) {
      List<MemberNetwork> nets = MemberNetwork.onLoopback(3);
      List<MemberProcess> members = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        members.add(first.launch("m" + (i + 1), nets.get(i)));
      }
      for (MemberProcess m : members) {
        Eventually.await(vertx, m.name() + " sees 3 members", 30_000, () -> m.clusterDetail().getInteger("members") == 3);
        m.awaitJoined(30_000);
      }
      members.get(2).stop();
      MemberProcess m1 = members.get(0);
      MemberProcess m2 = members.get(1);
      Eventually.await(vertx, "m1 sees 2 members", 30_000, () -> m1.clusterDetail().getInteger("members") == 2);
      for (String version : List.of("chat-v2", "chat-off")) {
        assertEquals(200, m1.flip(version).status(), version);
      }
      long revision = m1.revision();
      Eventually.await(vertx, "m2 adopts revision " + revision, 15_000, () -> m2.revision() == revision);
      m1.stop();
      m2.stop();
      newest = AuditHistory.newest(logs(members));
      assertEquals(revision, newest.getLong("revision"), "the newest audited revision is m1's last flip");
      assertEquals("chat-off", AuditHistory.chatPointer(newest));
      JsonObject stale = AuditHistory.newest(Map.of("m3", members.get(2).audit()));
      assertTrue(stale == null || stale.getLong("revision") < revision, "m3's log is stale: " + stale);
    }
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @AfterEach
  void stop() {
    if (processes != null) {
      processes.close();
    }
  }

  @ParameterizedTest(name = "start order {0}")
  @ValueSource(strings = {"m3,m1,m2", "m1,m3,m2", "m2,m1,m3"})
  void afterAWholeClusterRestart_everyMemberEndsOnTheNewestAuditedRevision(String order) throws Exception {
    copy(before, root);
    processes = new MemberProcesses(vertx, root, sim).expecting(3);
    List<MemberNetwork> nets = MemberNetwork.onLoopback(3);
    List<MemberProcess> members = new ArrayList<>();
    long revision = newest.getLong("revision");
    for (String name : order.split(",")) {
      // One after another, each ready (it starts even without a quorum) before the next.
      MemberProcess m = processes.launch(name, nets.get(Integer.parseInt(name.substring(1)) - 1));
      if (members.isEmpty() && name.equals("m3")) {
        // The case's point: alone, the stale member serves its own older state until others come.
        assertTrue(m.revision() < revision, "m3 first serves its stale revision, got " + m.revision());
      }
      members.add(m);
    }
    Eventually.await(vertx, "every member at revision " + revision + " on chat-off (order " + order + ")", 60_000,
        () -> members.stream().allMatch(m -> m.clusterDetail().getInteger("members") == 3
            && m.revision() == revision && "chat-off".equals(m.pointer())));
    for (MemberProcess m : members) {
      assertEquals("chat-off", m.servedBy(), m.name() + " answers with the disabled version");
      assertEquals(AuditHistory.pointersOf(newest), AuditHistory.pointersOf(m.routes()), m.name());
    }
    Map<String, List<JsonObject>> logs = logs(members);
    logs.forEach(AuditHistory::assertNeverBackwards);
    AuditHistory.assertOnePointerSetPerRevision(logs);
  }

  private static Map<String, List<JsonObject>> logs(List<MemberProcess> members) {
    Map<String, List<JsonObject>> logs = new LinkedHashMap<>();
    members.stream().sorted((x, y) -> x.name().compareTo(y.name())).forEach(m -> logs.put(m.name(), m.audit()));
    return logs;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(source -> {
        Path target = to.resolve(from.relativize(source).toString());
        try {
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else if (!source.getFileName().toString().endsWith(".log")) {
            Files.copy(source, target);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
