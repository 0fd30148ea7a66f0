package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.AuditHistory;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole-cluster restart where the stale member comes first (in-JVM members, expected_members 3):
 * it does not write the cluster's first state while a member with a newer audited revision is
 * present; until one state is adopted, changes are refused with a 503 (no_quorum, then
 * cluster_starting), never committed on the stale state; the first change after that lands on the
 * newest revision, and no revision number stands for two pointer sets in any member's log.
 */
class FirstStateEndToEndTest {

  private Vertx simVertx;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    cluster = new TestCluster(Sim.start(simVertx), "", ClusterRouteStateTest.ROUTES).expecting(3);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void theStaleMemberStartingFirst_neitherWritesTheFirstState_norCommitsOnIt() throws IOException {
    Member a = cluster.join();
    Member b = cluster.join();
    Member c = cluster.join();
    Eventually.await(simVertx, "a change commits with all three up", 20_000,
        () -> a.admin("/admin/scopes/activate", activate("chat-v2")).status() == 200);
    long flipped = revision(a);
    Path dirA = a.dir();
    Path dirC = c.dir();
    cluster.leave(c);
    // C is down while A and B move the scope back and forth: C's audit log is behind theirs
    assertEquals(200, a.admin("/admin/scopes/activate", activate("chat-v1")).status());
    assertEquals(200, a.admin("/admin/scopes/activate", activate("chat-v2")).status());
    long newest = revision(a);
    assertTrue(newest >= flipped + 2);
    cluster.leave(a);
    cluster.leave(b);

    // The stale member starts first, then the newest; the third stays down (2 of 3: a quorum)
    Member staleFirst = cluster.join(dirC);
    Member newer = cluster.join(dirA);
    List<Integer> refusals = new ArrayList<>();
    Eventually.await(simVertx, "a change commits again", 30_000, () -> {
      TestHttp.Response flip = staleFirst.admin("/admin/scopes/activate", activate("chat-v1"));
      if (flip.status() != 200) {
        assertEquals(503, flip.status(), flip.text());
        String code = flip.json().getJsonObject("error").getString("code");
        assertTrue(Set.of("no_quorum", "cluster_starting").contains(code), flip.text());
        refusals.add(flip.status());
      }
      return flip.status() == 200;
    });

    assertEquals(newest + 1, revision(staleFirst), "the change landed on the newest revision");
    Eventually.await(simVertx, "both members on it", 10_000, () -> revision(newer) == newest + 1);
    Map<String, List<JsonObject>> logs = new LinkedHashMap<>();
    logs.put("a", audit(dirA));
    logs.put("b", audit(b.dir()));
    logs.put("c", audit(dirC));
    AuditHistory.assertOnePointerSetPerRevision(logs);
    logs.forEach(AuditHistory::assertNeverBackwards);
  }

  private static JsonObject activate(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "test");
  }

  private static long revision(Member m) {
    return m.admin("/admin/routes", null).json().getLong("revision");
  }

  private static List<JsonObject> audit(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("audit.jsonl")).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
        .toList();
  }
}
