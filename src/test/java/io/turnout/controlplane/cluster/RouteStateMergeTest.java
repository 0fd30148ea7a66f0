package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a healed partition can leave in the shared route state: Hazelcast's merge keeps the larger
 * side's map entry whatever its revision, so the state can go back behind the revision the
 * members serve (seen in {@code PausedMemberProcessesTest} when the majority itself split: the
 * side that merged into the frozen member's lost its newer revision). Replayed here on two
 * members in one JVM by writing the older state back as the merge does.
 */
class RouteStateMergeTest {

  private Vertx simVertx;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    cluster = new TestCluster(Sim.start(simVertx), "", ClusterRouteStateTest.ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aSharedStateOlderThanTheMembers_isReplacedByTheNewerOne_andTheNextFlipTakesANewRevision() {
    Member a = cluster.join();
    Member b = cluster.join();
    assertEquals(200, a.admin("/admin/scopes/activate", activate("chat-v2")).status());
    AsyncMap<String, String> shared = a.vertx().sharedData().<String, String>getAsyncMap(RouteStateStore.MAP).await();
    String older = shared.get("state").await();
    TestHttp.Response newer = a.admin("/admin/scopes/activate", activate("chat-v1"));
    assertEquals(200, newer.status(), newer.text());
    long revision = newer.json().getLong("revision");
    Eventually.await(simVertx, "B at revision " + revision, 5_000, () -> revision(b) == revision);

    // WHEN the shared state goes back to the older revision, as a merge that kept the other side's entry
    shared.put("state", older).await();

    // THEN a member writes the newer one back (the 2 s reconcile), and both keep serving it
    Eventually.await(simVertx, "the shared state back at revision " + revision, 10_000,
        () -> RouteStateStore.revisionOf(shared.get("state").await()) == revision);
    for (Member m : List.of(a, b)) {
      assertEquals(revision, revision(m));
      assertEquals("chat-v1", m.servedBy("chat"));
    }

    // AND the next flip, on either member, commits under a new revision number
    TestHttp.Response next = b.admin("/admin/scopes/activate", activate("chat-v2"));
    assertEquals(200, next.status(), next.text());
    assertEquals(revision + 1, next.json().getLong("revision"));
    Eventually.await(simVertx, "A serves the next flip", 5_000, () -> "chat-v2".equals(a.servedBy("chat")));
  }

  private static long revision(Member m) {
    return m.admin("/admin/routes", null).json().getLong("revision");
  }

  private static JsonObject activate(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "test");
  }
}
