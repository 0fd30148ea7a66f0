package io.turnout.controlplane.notify;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.cluster.RouteStateStore;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly once per cluster, on real Hazelcast members that all send to one receiver: an event
 * every member sees is sent by the member it happened on; a lost or lagging member is reported
 * by the oldest member alone.
 */
class NotifyClusterTest {

  private Vertx vertx;
  private Sim sim;
  private Receiver receiver;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim = Sim.start(vertx);
    receiver = Receiver.start(vertx);
    cluster = new TestCluster(sim, NotifyFixture.GATES + "notifications:\n  lagging_after_ms: 200\n  lag_check_ms: 50\n"
        + "  webhooks:\n    ops: {url: \"" + receiver.url("/ops") + "\", backoff_ms: 5}\n", NotifyFixture.ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    receiver.close();
    vertx.close().await();
  }

  @Test
  void aLocalConsumer_hearsOnlyWhatItsOwnMemberPublishes() {
    Member a = cluster.join();
    Member b = cluster.join();
    List<String> local = new CopyOnWriteArrayList<>();
    List<String> clusterWide = new CopyOnWriteArrayList<>();
    b.vertx().eventBus().<String>localConsumer("notify.test", m -> local.add(m.body())).completion().await();
    b.vertx().eventBus().<String>consumer("notify.test", m -> clusterWide.add(m.body())).completion().await();

    a.vertx().eventBus().publish("notify.test", "from a");
    Eventually.await(vertx, "B's cluster-wide consumer heard A", 5_000, () -> clusterWide.contains("from a"));
    b.vertx().eventBus().publish("notify.test", "from b");
    Eventually.await(vertx, "B's local consumer heard B", 5_000, () -> local.contains("from b"));
    Eventually.holds(vertx, "B's local consumer never hears A", 300, () -> !local.contains("from a"));
  }

  @Test
  void aGateAction_isSentOnce_byTheMemberThatMadeIt() {
    Member a = cluster.join();
    Member b = cluster.join();
    JsonObject activation = new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat")
        .put("route_version", "chat-comet").put("reason", "test");
    assertEquals(200, a.admin("/admin/scopes/activate", activation).status());
    Eventually.await(vertx, "B serves chat-comet", 5_000, () -> "chat-comet".equals(b.servedBy("chat")));
    // both members see the gate's traffic and evaluate the same breach
    sim.failNext("cometapi", status(500), 3);
    for (int i = 0; i < 30; i++) {
      (i % 2 == 0 ? a : b).http().chat(ChatRequests.plain("chat"));
    }

    Eventually.await(vertx, "the gate action was sent", 10_000, () -> !receiver.requests("gate_action").isEmpty());
    Eventually.holds(vertx, "exactly once", 1_000, () -> receiver.requests("gate_action").size() == 1);
    String sender = receiver.requests("gate_action").get(0).json().getString("node");
    assertTrue(sender.equals(a.node().id()) || sender.equals(b.node().id()), sender);
  }

  @Test
  void aLostMember_isReportedOnce_byTheOldest_andALaggingOneToo() {
    Member a = cluster.join();
    Member b = cluster.join();
    Member c = cluster.join();
    cluster.leave(c);

    Eventually.await(vertx, "member_lost sent", 10_000, () -> !receiver.requests("member_lost").isEmpty());
    Eventually.holds(vertx, "by one member only", 1_000, () -> receiver.requests("member_lost").size() == 1);
    JsonObject lost = receiver.requests("member_lost").get(0).json();
    assertEquals(a.node().id(), lost.getString("node"), "the oldest surviving member reports");
    assertEquals(2, lost.getJsonObject("details").getInteger("members_remaining"));
    assertEquals(c.node().id(), lost.getJsonObject("details").getString("node"), "the lost member by its name");

    // a member whose acknowledgement stays behind: seen by both members, reported by the oldest
    long current = a.node().routes().revision();
    new RouteStateStore(b.vertx(), b.node().id()).acknowledge("stuck-member", current - 1, "2026-12-04T01:00:00Z",
        60_000).await();
    Eventually.await(vertx, "member_lagging sent", 5_000, () -> !receiver.requests("member_lagging").isEmpty());
    Eventually.holds(vertx, "once", 500, () -> receiver.requests("member_lagging").size() == 1);
    assertEquals(a.node().id(), receiver.requests("member_lagging").get(0).json().getString("node"));
  }
}
