package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three real members of a Hazelcast cluster in one JVM (their own cluster name, loopback only):
 * a flip on one member is applied by the others without a restart, members acknowledge the
 * revision they apply, a stale compare-and-set loses, and a member that joins late adopts the
 * cluster's state instead of its own file's.
 */
class ClusterRouteStateTest {

  static final String ROUTES = io.turnout.testing.ClusterRoutes.MAP;

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;

  @BeforeEach
  void startSimulator() {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    cluster = new TestCluster(sim, "", ROUTES);
  }

  @AfterEach
  void stopAll() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aFlipOnOneMember_isAppliedByEveryMember_andAcknowledged() throws Exception {
    Member a = join();
    Member b = join();
    Member c = join();

    // WHEN an operator flips the scope on A
    TestHttp.Response flip = admin(a, "/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", "chat-v2").put("reason", "primary degraded"));
    assertEquals(200, flip.status(), flip.text());

    // THEN B and C serve the new version without a restart
    for (Member m : List.of(a, b, c)) {
      Eventually.await(simVertx, "member serves chat-v2", 5_000, () -> "chat-v2".equals(servedBy(m)));
    }
    // AND their audit logs hold the whole change, as A audited it: one history on every member
    for (Member m : List.of(b, c)) {
      Eventually.await(simVertx, "the adopted change in the audit log", 5_000, () -> auditLines(m).stream()
          .anyMatch(e -> "adopted".equals(e.getString("action")) && "alice".equals(e.getString("operator"))));
      JsonObject adopted = auditLines(m).stream().filter(e -> "adopted".equals(e.getString("action"))
          && "alice".equals(e.getString("operator"))).findFirst().orElseThrow();
      assertEquals("primary degraded", adopted.getString("reason"));
      assertEquals("chat-v1", adopted.getString("from"));
      assertEquals("chat-v2", adopted.getString("to"));
      assertEquals("activate", adopted.getString("change_action"));
      assertEquals(a.node().id(), adopted.getString("changed_on"));
    }
    // AND every member acknowledged the revision it applies
    long revision = flip.json().getLong("revision");
    Eventually.await(simVertx, "three members at revision " + revision, 5_000, () -> {
      JsonObject acks = admin(b, "/admin/routes", null).json().getJsonObject("members");
      return acks.size() == 3 && acks.stream().allMatch(e -> ((JsonObject) e.getValue()).getLong("revision") == revision);
    });
    // AND the members gauge counts them
    Eventually.await(simVertx, "turnout_cluster_members 3", 5_000,
        () -> c.http().send(HttpMethod.GET, "/metrics", null).text().contains("turnout_cluster_members 3.0"));
  }

  @Test
  void aFileEditOnOneMember_reachesEveryMember_andAnInvalidOneChangesNothingAnywhere() throws Exception {
    Member a = join();
    Member b = join();
    Member c = join();

    // WHEN an operator saves an invalid route map on B
    Files.writeString(b.dir().resolve("routes.yaml"), ROUTES.replace("owner: tests}", "owner: tests, colour: red}"));
    Eventually.await(simVertx, "B reports the rejection", 5_000,
        () -> admin(b, "/admin/routes", null).json().getString("last_rejection") != null);

    // THEN nothing changed anywhere
    for (Member m : List.of(a, b, c)) {
      assertEquals("chat-v1", servedBy(m));
    }

    // WHEN the edit is fixed and moves the pointer
    Files.writeString(b.dir().resolve("routes.yaml"),
        ROUTES.replace("model_alias: chat, route_version: chat-v1}", "model_alias: chat, route_version: chat-v2}"));

    // THEN every member serves the new version
    for (Member m : List.of(a, b, c)) {
      Eventually.await(simVertx, "member serves chat-v2", 5_000, () -> "chat-v2".equals(servedBy(m)));
    }
  }

  @Test
  void aJvmServiceOnTheCluster_getsCompletionsAndClassifiedFailures_andSeesFlips() throws Exception {
    Member node = join();
    // GIVEN a JVM service that joins the cluster as a plain Vert.x member, serving no HTTP
    Vertx service = cluster.clusteredVertx();
    io.turnout.client.TurnoutClient client = new io.turnout.client.TurnoutClient(service, null);
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    client.onRouteEvent(events::add).completion().await();

    // WHEN it asks for a completion over the event bus
    JsonObject completion = (JsonObject) client.complete("chat", "Summarize the ticket.").await().body();

    // THEN the node answers it
    assertEquals("chat.completion", completion.getString("object"));

    // AND a failure arrives classified
    sim.failNext("primary", io.turnout.testing.Faults.status(429), 2); // the attempt and its one retry
    Throwable failure = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
        () -> client.complete("chat", "again").await());
    assertEquals("rate_limited", io.turnout.client.TurnoutClient.describe(failure).getString("error_class"));
    assertEquals(429, io.turnout.client.TurnoutClient.describe(failure).getInteger("status"));

    // AND it sees a flip made on the node
    admin(node, "/admin/scopes/activate", activate("chat-v2"));
    Eventually.await(simVertx, "the service sees the flip", 5_000,
        () -> events.stream().anyMatch(e -> "changed".equals(e.getString("type")) && "chat-v2".equals(e.getString("to"))));
  }

  @Test
  void afterTheWholeClusterStops_theLastRevisionComesBackFromTheAuditLog() throws Exception {
    Member a = join();
    Member b = join();
    assertEquals(200, admin(a, "/admin/scopes/activate", activate("chat-v2")).status());
    Eventually.await(simVertx, "B applied", 5_000, () -> "chat-v2".equals(servedBy(b)));
    Path dirOfB = b.dir();

    // WHEN every member stops (the shared state is gone with the cluster)
    cluster.close();

    // AND B comes back first, on its own config and audit log (its file still says chat-v1)
    Member back = cluster.join(dirOfB);

    // THEN the flip it only adopted from A is still in force
    assertEquals("chat-v2", servedBy(back));
  }

  @Test
  void twoMembersEditedDifferently_everyMemberEndsOnTheSameRevision() throws Exception {
    Member a = join();
    Member b = join();
    Member c = join();

    // WHEN A's and B's files are edited differently at the same moment
    Files.writeString(a.dir().resolve("routes.yaml"),
        ROUTES.replace("model_alias: chat, route_version: chat-v1}", "model_alias: chat, route_version: chat-v2}"));
    Files.writeString(b.dir().resolve("routes.yaml"), ROUTES.replace("\nactive:", "\n"
        + "  - {route_version: chat-v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat,\n"
        + "     mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,\n"
        + "     owner: other-team}\nactive:"));

    // THEN the compare-and-set orders them: every member converges on one revision and one map.
    // (Which edit lands first depends on each member's scan phase; the loser's member may apply its
    // own edit again on top of the winner's a scan later, so convergence is judged as a whole.)
    Eventually.await(simVertx, "all members on one revision, serving one version from one map", 10_000, () -> {
      JsonObject acks = admin(c, "/admin/routes", null).json().getJsonObject("members");
      if (!(acks.size() == 3 && acks.stream().map(e -> ((JsonObject) e.getValue()).getLong("revision")).distinct()
          .count() == 1 && admin(a, "/admin/routes", null).json().getLong("revision") >= 1)) {
        return false;
      }
      String servedOnA = servedBy(a);
      JsonObject mapOnA = admin(a, "/admin/routes", null).json().getJsonObject("route_map");
      return List.of(b, c).stream().allMatch(m -> servedOnA.equals(servedBy(m))
          && mapOnA.equals(admin(m, "/admin/routes", null).json().getJsonObject("route_map")));
    });
  }

  @Test
  void aStaleWriterLoses_onAnyMember() throws Exception {
    Member a = join();
    Member b = join();
    long seen = admin(a, "/admin/routes", null).json().getLong("revision");
    assertEquals(200, admin(a, "/admin/scopes/activate", activate("chat-v2").put("expected_revision", seen)).status());
    Eventually.await(simVertx, "B applied", 5_000, () -> "chat-v2".equals(servedBy(b)));

    TestHttp.Response stale = admin(b, "/admin/scopes/activate", activate("chat-v1").put("expected_revision", seen));

    assertEquals(409, stale.status(), stale.text());
    assertEquals("chat-v2", servedBy(a));
  }

  @Test
  void aMemberThatJoinsLate_adoptsTheClustersStateOverItsOwnFile() throws Exception {
    Member a = join();
    assertEquals(200, admin(a, "/admin/scopes/activate", activate("chat-v2")).status());

    Member late = join();

    assertEquals("chat-v2", servedBy(late), "its own file says chat-v1");
  }

  private Member join() {
    return cluster.join();
  }

  private static JsonObject activate(String version) {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat").put("route_version", version)
        .put("reason", "test");
  }

  private static String servedBy(Member m) {
    return m.servedBy("chat");
  }

  private static TestHttp.Response admin(Member m, String path, JsonObject body) {
    return m.admin(path, body);
  }

  private static List<JsonObject> auditLines(Member m) {
    try {
      return Files.readAllLines(m.dir().resolve("audit.jsonl")).stream().filter(l -> !l.isBlank())
          .map(JsonObject::new).toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
