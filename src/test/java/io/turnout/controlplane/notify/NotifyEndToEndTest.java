package io.turnout.controlplane.notify;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.cluster.RouteStateStore;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications from a real node in front of the simulator to webhook receivers on loopback: a
 * gate that fires, a drill's steps, a failed probe run, a lagging member, and a receiver that
 * hangs while traffic flows.
 */
class NotifyEndToEndTest {

  private static final String TOKEN = "notify-admin-token";
  private static final String SECRET = "notify-hook-secret";

  private Vertx vertx;
  private Sim sim;
  private Receiver generic;
  private Receiver slack;
  private TestNode node;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim = Sim.start(vertx);
    generic = Receiver.start(vertx);
    slack = Receiver.start(vertx);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    generic.close();
    slack.close();
    vertx.close().await();
  }

  private TestNode node(String notifications) {
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    env.put("HOOK_SECRET", SECRET);
    node = TestNode.start(vertx, NotifyFixture.yaml(sim, notifications), NotifyFixture.ROUTES, env);
    return node;
  }

  /** Both webhooks: generic and signed, and Slack. */
  private TestNode nodeWithBothWebhooks() {
    return node("notifications:\n  webhooks:\n"
        + "    ops: {url: \"" + generic.url("/ops?channel=oncall") + "\", secret: \"${HOOK_SECRET}\", backoff_ms: 5}\n"
        + "    chat: {url: \"" + slack.url("/slack") + "\", format: slack, backoff_ms: 5}\n");
  }

  /** The admin API's port: the one place to change when it moves to its own listener. */
  private int adminPort() {
    return node.node().adminPort();
  }

  private TestHttp.Response admin(String path, JsonObject body) {
    TestHttp http = new TestHttp(vertx, adminPort());
    try {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN)
          .add("content-type", "application/json");
      return http.send(HttpMethod.POST, path, body.toBuffer(), headers);
    } finally {
      http.close().await();
    }
  }

  private void activate(String version) {
    TestHttp.Response r = admin("/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", version).put("reason", "test"));
    assertEquals(200, r.status(), r.text());
  }

  private double delivered(String webhook) {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text())
        .sum("turnout_webhook_deliveries_total", "webhook", webhook, "outcome", "delivered");
  }

  @Test
  void aGateRollback_isSentOnce_toTheGenericWebhookSigned_andToSlack() throws Exception {
    nodeWithBothWebhooks();
    activate("chat-comet");
    // WHEN 3 of 30 fallback attempts answer 500 (10% > 2% over at least 20 samples)
    sim.failNext("cometapi", status(500), 3);
    for (int i = 0; i < 30; i++) {
      node.http().chat(ChatRequests.plain("chat"));
    }

    Eventually.await(vertx, "the generic webhook got the gate action", 10_000,
        () -> !generic.requests("gate_action").isEmpty());
    Receiver.Request request = generic.requests("gate_action").get(0);
    assertEquals("/ops", request.path());
    JsonObject payload = request.json();
    assertEquals("gate_action", payload.getString("event"));
    assertEquals(node.node().id(), payload.getString("node"));
    assertEquals("production/*/chat", payload.getString("scope"));
    assertTrue(payload.getString("summary").startsWith("gate fallback_5xx rolled back production/*/chat from "
        + "chat-comet to chat-v1 (upstream_5xx_rate "), payload.getString("summary"));
    JsonObject details = payload.getJsonObject("details");
    assertEquals("rollback", details.getString("decision"));
    assertTrue(details.getJsonObject("verdict").getLong("samples") >= 20, details.encode());
    // the signature verifies with the shared secret over the exact body
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertEquals("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(request.body().getBytes())),
        request.headers().get(Payloads.SIGNATURE_HEADER));
    // nothing of the traffic or the secret is in it
    String body = request.body().toString();
    assertFalse(body.contains("Summarize the ticket") || body.contains("\"choices\"") || body.contains(SECRET), body);

    Eventually.await(vertx, "Slack got it too", 5_000, () -> !slack.requests().isEmpty());
    JsonObject message = slack.requests().get(0).json();
    assertTrue(message.getString("text").startsWith(":rotating_light: gate fallback_5xx rolled back production/*/chat"
        + " from chat-comet to chat-v1"), message.encode());
    assertEquals(payload.getString("summary"), message.getString("text").substring(":rotating_light: ".length()));
    assertTrue(message.containsKey("blocks"));

    Eventually.holds(vertx, "one gate action each, nothing else", 500,
        () -> generic.requests().size() == 1 && slack.requests().size() == 1);
    assertEquals(1.0, delivered("ops"));
    assertEquals(1.0, delivered("chat"));
  }

  @Test
  void aDrill_notifiesWaitingBlockedAndAborted_andItsFailedProbeRuns() {
    node(NotifyFixture.webhook("ops", generic.url("/ops"), ""));
    TestHttp.Response started = admin("/admin/drills", new JsonObject().put("model_alias", "chat")
        .put("canary_version", "chat-canary").put("reason", "quarterly drill"));
    assertEquals(200, started.status(), started.text());
    String id = started.json().getString("id");
    Eventually.await(vertx, "drill waits for approval", 5_000, () -> !generic.requests("drill_waiting").isEmpty());
    JsonObject waiting = generic.requests("drill_waiting").get(0).json();
    assertEquals(id, waiting.getJsonObject("details").getString("drill"));
    assertEquals("prepared", waiting.getJsonObject("details").getString("step"));

    // WHEN the fallback provider fails every probe, approving the probe step blocks the drill
    sim.failAlways("cometapi", status(500));
    admin("/admin/drills/" + id + "/advance", new JsonObject().put("reason", "probes next")
        .put("expected_step", "probes"));
    Eventually.await(vertx, "drill blocked", 10_000, () -> !generic.requests("drill_blocked").isEmpty());
    JsonObject blocked = generic.requests("drill_blocked").get(0).json();
    assertEquals("probes", blocked.getJsonObject("details").getString("step"));
    assertTrue(blocked.getString("summary").startsWith("drill " + id), blocked.getString("summary"));
    // (the drill probes several versions: the canary's run is the one that names cometapi)
    JsonObject probe = generic.requests("probe_failed").stream().map(r -> r.json())
        .filter(p -> p.getJsonObject("details").getJsonArray("failed").encode().contains("cometapi")).findFirst()
        .orElseThrow(() -> new AssertionError("no failed probe run names cometapi: " + generic.requests("probe_failed")));
    assertTrue(probe.getString("summary").contains("FAILED"), probe.getString("summary"));

    admin("/admin/drills/" + id + "/abort", new JsonObject().put("reason", "fix the provider first"));
    Eventually.await(vertx, "drill aborted", 5_000, () -> !generic.requests("drill_aborted").isEmpty());
    assertEquals(1, generic.requests("drill_waiting").size(), "waiting once: blocked is not waiting");
  }

  @Test
  void aMemberWhoseRevisionStaysBehind_isReportedLaggingOnce() {
    node("notifications:\n  lagging_after_ms: 300\n  lag_check_ms: 50\n  webhooks:\n    ops: {url: \""
        + generic.url("/ops") + "\"}\n");
    long before = node.node().routes().revision();
    activate("chat-comet");
    long current = node.node().routes().revision();
    assertTrue(current > before);
    // a member that acknowledged the previous revision and never the current one
    new RouteStateStore(vertx, node.node().id()).acknowledge("stuck-member", before, "2026-12-04T01:00:00Z", 60_000)
        .await();

    Eventually.await(vertx, "lagging reported", 5_000, () -> !generic.requests("member_lagging").isEmpty());
    JsonObject details = generic.requests("member_lagging").get(0).json().getJsonObject("details");
    assertEquals("stuck-member", details.getString("member"));
    assertEquals(before, details.getLong("revision"));
    assertEquals(current, details.getLong("current"));
    assertTrue(details.getLong("behind_ms") >= 300, details.encode());
    Eventually.holds(vertx, "once, and never the node itself", 500,
        () -> generic.requests("member_lagging").size() == 1);
  }

  @Test
  void aHangingReceiver_neverDelaysRequestsThroughTheNode() {
    node(NotifyFixture.webhook("ops", generic.url("/ops"), ", timeout_ms: 60000, queue_size: 5"));
    generic.hang(true);
    String id = admin("/admin/drills", new JsonObject().put("model_alias", "chat").put("canary_version", "chat-canary")
        .put("reason", "drill")).json().getString("id");
    Eventually.await(vertx, "the delivery is held by the receiver", 5_000, () -> generic.requests().size() == 1);
    admin("/admin/drills/" + id + "/abort", new JsonObject().put("reason", "more events while one hangs"));

    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      TestHttp.Response answer = node.http().chat(ChatRequests.plain("chat"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, answer.status(), answer.text());
      // far below the 60 s the receiver holds the delivery for: generous for a loaded machine
      assertTrue(ms < 10_000, "request " + i + " took " + ms + " ms");
    }
    assertEquals(1, generic.requests().size(), "still held: the abort waits in the queue");
    assertEquals(0.0, delivered("ops"));
  }

  @Test
  void aRefusedRouteFileEdit_isSent() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("turnout-notify");
    String yaml = NotifyFixture.yaml(sim, NotifyFixture.webhook("ops", generic.url("/ops"), ""))
        .replace(TestNode.ROUTING, "routing:\n  watch: true\n  scan_period_ms: 100\n")
        + "audit:\n  file: audit.jsonl\n";
    java.nio.file.Files.writeString(dir.resolve("turnout.yaml"), yaml);
    java.nio.file.Files.writeString(dir.resolve("routes.yaml"), NotifyFixture.ROUTES);
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    node = TestNode.start(vertx, io.turnout.node.NodeConfig.load(dir, env), java.time.Clock.systemUTC());

    java.nio.file.Files.writeString(dir.resolve("routes.yaml"),
        NotifyFixture.ROUTES.replace("mode: primary_only", "mode: primary_onyl"));
    Eventually.await(vertx, "the refusal was sent", 5_000, () -> !generic.requests("route_edit_refused").isEmpty());
    JsonObject refused = generic.requests("route_edit_refused").get(0).json();
    assertEquals(node.node().id(), refused.getString("node"));
    JsonObject details = refused.getJsonObject("details");
    assertTrue(details.getString("file").endsWith("routes.yaml"), details.encode());
    assertTrue(details.getString("path").startsWith("routes[0]"), details.encode());
    assertTrue(refused.getString("summary").contains("the running map is unchanged"), refused.getString("summary"));
    Eventually.holds(vertx, "sent once, though the watcher rescans", 400,
        () -> generic.requests("route_edit_refused").size() == 1);
  }
}
