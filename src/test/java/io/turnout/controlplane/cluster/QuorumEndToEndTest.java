package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route changes need a quorum: with {@code cluster.expected_members: 3}, a member whose cluster
 * has fewer than 2 members starts, serves what it has and refuses every change with 503
 * {@code no_quorum} (Hazelcast's split-brain protection on the route state); once a majority is
 * up, changes commit and reach every member.
 */
class QuorumEndToEndTest {

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    cluster = new TestCluster(sim, "", ClusterRouteStateTest.ROUTES).expecting(3);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aMemberWithoutAMajority_startsServes_andRefusesChanges_untilAMajorityIsUp() {
    // GIVEN one member of an expected three
    Member a = cluster.join();
    assertEquals("chat-v1", a.servedBy("chat"), "it starts and serves its own state");
    JsonObject detail = clusterDetail(a);
    assertEquals(1, detail.getInteger("members"));
    assertFalse(detail.getBoolean("has_quorum"));

    // WHEN an operator flips the scope on it
    TestHttp.Response refused = a.admin("/admin/scopes/activate", activate("chat-v2"));

    // THEN the change is refused as a minority's, and nothing moved
    assertEquals(503, refused.status(), refused.text());
    assertEquals("no_quorum", refused.json().getJsonObject("error").getString("code"));
    assertEquals("chat-v1", a.servedBy("chat"));

    // WHEN a second member joins (2 of 3: a majority)
    Member b = cluster.join();
    Eventually.await(simVertx, "A sees the quorum", 10_000, () -> clusterDetail(a).getBoolean("has_quorum"));

    // THEN changes commit, on either member, and both serve them
    Eventually.await(simVertx, "a flip on A commits", 10_000,
        () -> a.admin("/admin/scopes/activate", activate("chat-v2")).status() == 200);
    for (Member m : List.of(a, b)) {
      Eventually.await(simVertx, "member serves chat-v2", 10_000, () -> "chat-v2".equals(m.servedBy("chat")));
    }
    assertTrue(clusterDetail(b).getBoolean("has_quorum"));
  }

  @Test
  void aFileEditOnTheMinoritySide_waits_andCommitsOnceAMajorityIsBack() throws java.io.IOException {
    // GIVEN two of an expected three, then one of them gone: the other is a minority
    Member a = cluster.join();
    Member b = cluster.join();
    Eventually.await(simVertx, "A joined", 20_000, () -> a.admin("/admin/routes", null).json().getBoolean("joined"));
    java.nio.file.Path dirB = b.dir();
    cluster.leave(b);
    Eventually.await(simVertx, "A sees no quorum", 20_000, () -> !clusterDetail(a).getBoolean("has_quorum"));

    // WHEN A's file is edited
    java.nio.file.Files.writeString(a.dir().resolve("routes.yaml"), ClusterRouteStateTest.ROUTES.replace(
        "model_alias: chat, route_version: chat-v1}", "model_alias: chat, route_version: chat-v2}"));

    // THEN it waits, said so, not counted as a rejection, and nothing moved
    Eventually.await(simVertx, "the edit waits", 10_000, () -> String.valueOf(a.admin("/admin/routes", null).json()
        .getString("last_rejection")).startsWith("not applied yet"));
    assertEquals(0L, a.admin("/admin/routes", null).json().getLong("rejected_edits"));
    assertEquals("chat-v1", a.servedBy("chat"));

    // WHEN B is back: the same edit commits by itself, on both
    Member back = cluster.join(dirB);
    for (Member m : List.of(a, back)) {
      Eventually.await(simVertx, "member serves the edit", 30_000, () -> "chat-v2".equals(m.servedBy("chat")));
    }
    Eventually.await(simVertx, "nothing pending", 10_000,
        () -> a.admin("/admin/routes", null).json().getValue("last_rejection") == null);
  }

  private static JsonObject clusterDetail(Member m) {
    TestHttp.Response ready = m.http().send(HttpMethod.GET, "/health/ready", null);
    return ready.json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> "cluster".equals(c.getString("id"))).findFirst().orElseThrow().getJsonObject("data");
  }

  private static JsonObject activate(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "test");
  }
}
