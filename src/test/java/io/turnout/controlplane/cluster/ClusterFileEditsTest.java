package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.node.NodeName;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Members that each keep their own route map file (in-JVM Hazelcast members, real files): an edit
 * is a diff against what that member's file said before, so a comment-only edit changes nothing
 * and leaves an operator's flip in force, and the same edit made to every file at once is one
 * revision; a member whose file is invalid starts anyway on the cluster's state and says why;
 * members keep their names across restarts, and a name a live member holds is refused.
 */
class ClusterFileEditsTest {

  private static final String ROUTES = ClusterRouteStateTest.ROUTES;
  private static final String TO_V2 = ROUTES.replace("model_alias: chat, route_version: chat-v1}",
      "model_alias: chat, route_version: chat-v2}");
  /** Fails validation at routes[0].mode. */
  private static final String INVALID = ROUTES.replace("mode: primary_only", "mode: warp_speed");

  private Vertx simVertx;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    cluster = new TestCluster(Sim.start(simVertx), "", ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aCommentOnlyEditOnAnotherMember_leavesAnOperatorsFlipInForce() throws IOException {
    Member a = cluster.join();
    Member b = cluster.join();
    assertEquals(200, a.admin("/admin/scopes/activate", activate("chat-v2")).status());
    Eventually.await(simVertx, "B serves the flip", 10_000, () -> "chat-v2".equals(b.servedBy("chat")));
    long revision = revision(a);

    String commented = ROUTES + "# reviewed by the on-call, nothing to change\n";
    Files.writeString(b.dir().resolve("routes.yaml"), commented);
    Eventually.await(simVertx, "B took in its edit", 10_000, () -> commented.equals(appliedCopy(b)));

    for (Member m : List.of(a, b)) {
      assertEquals("chat-v2", m.servedBy("chat"), "the operator's flip stays");
      assertEquals(revision, revision(m), "no revision for a comment");
    }
    assertNull(routes(b).getValue("last_rejection"));
  }

  @Test
  void theSameEditToEveryMembersFile_isOneRevisionClusterWide_andNoRejection() throws IOException {
    Member a = cluster.join();
    Member b = cluster.join();
    long before = revision(a);

    // ConfigMap style: every member's file changes at (almost) the same moment
    Files.writeString(a.dir().resolve("routes.yaml"), TO_V2);
    Files.writeString(b.dir().resolve("routes.yaml"), TO_V2);
    Eventually.await(simVertx, "both members took in the edit", 10_000,
        () -> TO_V2.equals(appliedCopy(a)) && TO_V2.equals(appliedCopy(b)));
    Eventually.await(simVertx, "both on one revision", 10_000, () -> revision(a) == revision(b));

    assertEquals(before + 1, revision(a), "one revision for one edit");
    for (Member m : List.of(a, b)) {
      assertEquals("chat-v2", m.servedBy("chat"));
      assertEquals(0L, routes(m).getLong("rejected_edits"), routes(m).encode());
    }
    long fileEntries = Stream.of(a, b).flatMap(m -> audit(m).stream())
        .filter(e -> "file".equals(e.getString("action"))).count();
    assertEquals(1, fileEntries, "one member made the change, the other adopted it");
  }

  @Test
  void aMemberWhoseFileIsInvalid_startsOnTheClustersState_andShowsTheRefusal() throws IOException {
    Member a = cluster.join();
    Member first = cluster.join();
    assertEquals(200, a.admin("/admin/scopes/activate", activate("chat-v2")).status());
    Eventually.await(simVertx, "B serves the flip", 10_000, () -> "chat-v2".equals(first.servedBy("chat")));
    Member b = first;

    // B restarts on an invalid file, once with the copy it applied last, once as a fresh member without one
    for (boolean fresh : new boolean[] {false, true}) {
      Path dir = b.dir();
      cluster.leave(b);
      Files.writeString(dir.resolve("routes.yaml"), INVALID);
      if (fresh) {
        Files.delete(dir.resolve("audit.routes-applied.yaml"));
        Files.delete(dir.resolve("audit.jsonl"));
      }
      b = cluster.join(dir);

      assertEquals("chat-v2", b.servedBy("chat"), "it serves the cluster's state (fresh: " + fresh + ")");
      assertEquals(revision(a), revision(b));
      String rejection = routes(b).getString("last_rejection");
      assertTrue(rejection != null && rejection.contains("routes[0].mode"), "names the field: " + rejection);
    }
  }

  @Test
  void membersKeepTheirNamesAcrossARestart_andALiveMembersNameIsRefused() throws IOException {
    Member a = cluster.join();
    Member b = cluster.join();
    String nameOfB = b.dir().getFileName().toString();
    assertEquals(nameOfB, b.node().id());

    Path dir = b.dir();
    cluster.leave(b);
    Member back = cluster.join(dir);
    assertEquals(nameOfB, back.node().id(), "the same member after a restart");
    Eventually.await(simVertx, "two members acknowledged, under their names", 10_000, () -> {
      JsonObject members = routes(a).getJsonObject("members");
      return members.size() == 2 && members.containsKey(nameOfB)
          && members.containsKey(a.dir().getFileName().toString());
    });

    // A second node that calls itself what a running member is called does not start
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TestCluster.TOKEN);
    env.put(NodeName.ENV, nameOfB);
    Path twin = Files.createTempDirectory("turnout-twin");
    Files.writeString(twin.resolve(NodeConfig.FILE), Files.readString(dir.resolve(NodeConfig.FILE)));
    Files.writeString(twin.resolve("routes.yaml"), ROUTES);
    Vertx vertx = cluster.clusteredVertx();
    Throwable refused = Node.start(vertx, NodeConfig.loadForStart(twin, env), Clock.systemUTC())
        .transform(started -> io.vertx.core.Future.succeededFuture(started.cause())).await();
    assertTrue(refused != null && refused.getMessage().contains("'" + nameOfB + "' is the name of the running member"),
        String.valueOf(refused));
    assertEquals(nameOfB, back.node().id());
  }

  @Test
  void theClustersHistory_holdsChangesMadeWhileAMemberWasDown_once_withWhoSawThem() throws IOException {
    Member a = cluster.join();
    Member b = cluster.join();
    String nameOfA = a.dir().getFileName().toString();
    String nameOfB = b.dir().getFileName().toString();
    assertEquals(200, a.admin("/admin/scopes/activate", activate("chat-v2")).status());
    Eventually.await(simVertx, "B serves the flip", 10_000, () -> "chat-v2".equals(b.servedBy("chat")));

    // A is down while B makes two changes; A comes back and adopts only the state they left
    Path dir = a.dir();
    cluster.leave(a);
    assertEquals(200, b.admin("/admin/scopes/rollback", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("reason", "while A was down")).status());
    assertEquals(200, b.admin("/admin/scopes/activate", activate("chat-v2")).status());
    Member back = cluster.join(dir);
    Eventually.await(simVertx, "A back on B's revision", 10_000, () -> revision(back) == revision(b));
    assertTrue(audit(back).stream().noneMatch(e -> "while A was down".equals(e.getString("reason"))),
        "A's own log does not hold the first change it missed");

    JsonObject history = back.admin("/admin/audit?cluster=true&limit=50", null).json();

    List<JsonObject> entries = history.getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
    List<JsonObject> missed = entries.stream().filter(e -> "while A was down".equals(e.getString("reason"))).toList();
    assertEquals(1, missed.size(), history.encodePrettily());
    assertEquals("rollback", missed.get(0).getString("action"));
    assertEquals(nameOfB, missed.get(0).getString("node"));
    JsonObject flip = entries.stream().filter(e -> e.getLong("revision", -1L) == 1L).findFirst().orElseThrow();
    assertEquals("alice", flip.getString("operator"));
    assertTrue(flip.getJsonArray("seen_on").contains(nameOfA) && flip.getJsonArray("seen_on").contains(nameOfB),
        flip.encode());
    long[] revisions = entries.stream().mapToLong(e -> e.getLong("revision", -1L)).filter(r -> r > 0).toArray();
    assertEquals(revisions.length, java.util.Arrays.stream(revisions).distinct().count(),
        "each revision once: " + history.encodePrettily());
    assertEquals(2, history.getJsonObject("members").size());
  }

  private static JsonObject activate(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "test");
  }

  private static JsonObject routes(Member m) {
    return m.admin("/admin/routes", null).json();
  }

  private static long revision(Member m) {
    return routes(m).getLong("revision");
  }

  private static String appliedCopy(Member m) {
    try {
      Path copy = m.dir().resolve("audit.routes-applied.yaml");
      return Files.exists(copy) ? Files.readString(copy) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static List<JsonObject> audit(Member m) {
    try {
      return Files.readAllLines(m.dir().resolve("audit.jsonl")).stream().filter(l -> !l.isBlank())
          .map(JsonObject::new).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
