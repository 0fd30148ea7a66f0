package io.turnout.controlplane.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.NodeConfig;
import io.turnout.routes.RouteEvents;
import io.turnout.testing.BusEvents;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestCluster.Member;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Probe evidence on a real two-member cluster: a run made on one member is the latest evidence on
 * every member and unlocks activations there, and a route map file edit that moves a pointer is
 * held to the same guard as an operator's activation.
 */
class ProbeClusterEndToEndTest {

  private Vertx simVertx;
  private Sim sim;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    simVertx = Vertx.vertx();
    sim = Sim.start(simVertx);
    sim.script("primary", ProbeEndToEndTest.HEALTHY);
    sim.script("cometapi", ProbeEndToEndTest.HEALTHY);
    cluster = new TestCluster(sim, "", ProbeEndToEndTest.ROUTES);
  }

  @AfterEach
  void stop() {
    cluster.close();
    simVertx.close().await();
  }

  @Test
  void aRunOnOneMember_isTheLatestEvidenceOnTheOther_andUnlocksActivationThere() throws IOException {
    Member a = join();
    Member b = join();

    // WHEN member A runs the probes of the target and of its rollback version
    JsonObject target = run(a, "chat-comet");
    JsonObject rollback = run(a, "chat-v1");
    assertTrue(target.getBoolean("passed") && rollback.getBoolean("passed"), target.encodePrettily());

    // THEN member B reads the same evidence
    TestHttp.Response seen = b.admin("/admin/probes/chat-comet", null);
    assertEquals(200, seen.status(), seen.text());
    assertEquals(target, seen.json());
    // AND the runs are on A's disk, one JSON line each
    List<String> lines = Files.readAllLines(a.dir().resolve("evidence/probes.jsonl"));
    assertEquals(List.of(target.getString("run_id"), rollback.getString("run_id")),
        lines.stream().map(l -> new JsonObject(l).getString("run_id")).toList());
    assertFalse(Files.exists(b.dir().resolve("evidence/probes.jsonl")));
    // AND B may activate the version on that evidence
    TestHttp.Response activated = b.admin("/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", "chat-comet").put("reason", "probes passed on A"));
    assertEquals(200, activated.status(), activated.text());
    assertEquals(target.getString("run_id"), activated.json().getJsonObject("probe_evidence").getString("chat-comet"));
    Eventually.await(simVertx, "A serves chat-comet", 10_000, () -> "chat-comet".equals(a.servedBy("chat")));
  }

  @Test
  void aFileEditMovingAPointer_isRefusedWithoutPassedRuns_andAppliesOnceTheyPassed() throws IOException {
    Member a = join();
    Member b = join();
    BusEvents events = BusEvents.record(a.vertx(), RouteEvents.ADDRESS);
    Path routes = a.dir().resolve("routes.yaml");
    String moved = ProbeEndToEndTest.ROUTES.replace(
        "model_alias: chat, route_version: chat-v1}", "model_alias: chat, route_version: chat-comet}");

    // WHEN the file moves the scope to a version without probe runs
    Files.writeString(routes, moved);

    // THEN the edit is refused, naming the versions, and nothing moves
    JsonObject rejected = events.await("the edit refused", 10_000, e -> "rejected".equals(e.getString("type")));
    assertEquals("active", rejected.getString("path"));
    assertTrue(rejected.getString("reason").contains("route version chat-comet has no probe run"),
        rejected.encode());
    assertEquals("chat-v1", a.servedBy("chat"));

    // WHEN both versions pass their probes and the file is edited again
    run(b, "chat-comet");
    run(b, "chat-v1");
    Files.writeString(routes, moved + "# probes passed\n");

    // THEN the edit applies on every member
    for (Member m : List.of(a, b)) {
      Eventually.await(simVertx, "member serves chat-comet", 10_000, () -> "chat-comet".equals(m.servedBy("chat")));
    }
    events.close();
  }

  private Member join() throws IOException {
    Path dir = Files.createTempDirectory("turnout-probe-member");
    String yaml = TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.PROBES,
        "probes:\n  required: true\n  evidence_dir: evidence\n  timeout_probe_ms: 5\n")
        .replace("routing:\n  watch: false\n", "routing:\n  watch: true\n  scan_period_ms: 100\n")
        + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n"
        + "audit:\n  file: audit.jsonl\n";
    Files.writeString(dir.resolve(NodeConfig.FILE), yaml);
    Files.writeString(dir.resolve("routes.yaml"), ProbeEndToEndTest.ROUTES);
    return cluster.join(dir);
  }

  private static JsonObject run(Member member, String version) {
    TestHttp.Response response = member.admin("/admin/probes/run", new JsonObject().put("route_version", version));
    assertEquals(200, response.status(), response.text());
    return response.json();
  }
}
