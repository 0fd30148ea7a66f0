package io.turnout.controlplane.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.routes.RouteEvents;
import io.turnout.testing.BusEvents;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.turnout.controlplane.audit.AuditLog;

/**
 * Operators move scopes through the authenticated admin API: every change is audited (operator,
 * time, reason, from -> to) before it applies, survives a restart, and loses to nobody silently.
 */
@ExtendWith(VertxExtension.class)
class AdminApiEndToEndTest {

  private static final String TOKEN = "admin-token-for-alice";
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-old, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests, expires_at: "2020-01-01T00:00:00Z"}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  private static Vertx vertx;
  private static Sim sim;

  @TempDir
  Path dir;
  private Node node;
  private TestHttp http;
  private TestHttp adminHttp;
  private BusEvents events;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void startNode() throws IOException {
    String yaml = TestNode.config(sim, 2_000, 2_000, 5_000)
        + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n"
        + "audit:\n  file: data/audit.jsonl\n";
    Files.writeString(dir.resolve(NodeConfig.FILE), yaml, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);
    events = BusEvents.record(vertx, RouteEvents.ADDRESS);
    startNodeOnDir();
  }

  @AfterEach
  void stopNode() {
    events.close();
    stop();
  }

  @Test
  void withoutAValidToken_nothingIsReadOrChanged() {
    long revision = revision();

    TestHttp.Response none = adminHttp.send(HttpMethod.POST, "/admin/scopes/activate",
        activate("chat-v2").toBuffer());
    TestHttp.Response wrong = adminHttp.send(HttpMethod.POST, "/admin/scopes/activate",
        activate("chat-v2").toBuffer(), MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer not-the-token"));
    TestHttp.Response read = adminHttp.send(HttpMethod.GET, "/admin/routes", null);

    assertEquals(401, none.status());
    assertEquals(401, wrong.status());
    assertEquals(401, read.status());
    assertEquals("invalid_admin_token", none.json().getJsonObject("error").getString("code"));
    assertEquals(revision, revision());
    assertEquals("chat-v1", servedBy());
  }

  @Test
  void theAdminApiListensApartFromClients_whileHealthAndMetricsAnswerOnBoth() {
    // GIVEN the node's two listeners
    MultiMap bearer = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN);
    assertTrue(node.adminPort() > 0 && node.adminPort() != node.httpPort());

    // WHEN a valid admin call goes to the client listener, THEN it is an unknown URL there
    TestHttp.Response onClients = http.send(HttpMethod.GET, "/admin/routes", null, bearer);
    assertEquals(404, onClients.status());
    assertEquals("unknown_url", onClients.json().getJsonObject("error").getString("code"));
    assertTrue(onClients.json().getJsonObject("error").getString("message").contains("admin listener"),
        onClients.text());
    TestHttp.Response flip = http.send(HttpMethod.POST, "/admin/scopes/activate", activate("chat-v2").toBuffer(),
        bearer.add("content-type", "application/json"));
    assertEquals(404, flip.status());
    assertEquals("chat-v1", servedBy());
    // ... and the admin listener answers it
    assertEquals(200, admin("/admin/routes", null).status());

    // AND health and metrics answer on both listeners
    for (TestHttp listener : List.of(http, adminHttp)) {
      assertEquals(200, listener.send(HttpMethod.GET, "/health/live", null).status());
      assertEquals(200, listener.send(HttpMethod.GET, "/health/ready", null).status());
      TestHttp.Response metrics = listener.send(HttpMethod.GET, "/metrics", null);
      assertEquals(200, metrics.status());
      assertTrue(metrics.text().contains("turnout_"), "Prometheus text on port " + listener);
    }
  }

  @Test
  void activation_isAuditedAppliedAndPublished_thenRollbackReturnsToTheRollbackVersion() throws IOException {
    // WHEN alice moves the scope forward
    TestHttp.Response forward = admin("/admin/scopes/activate", activate("chat-v2"));

    // THEN it applies without a restart, attributed, and the audit log holds it on disk
    assertEquals(200, forward.status(), forward.text());
    assertEquals("chat-v1", forward.json().getString("from"));
    assertEquals("chat-v2", forward.json().getString("to"));
    assertEquals("alice", forward.json().getString("operator"));
    assertEquals("chat-v2", servedBy());
    JsonObject audited = lastAuditEntry();
    assertEquals("activate", audited.getString("action"));
    assertEquals("alice", audited.getString("operator"));
    assertEquals("primary degraded", audited.getString("reason"));
    assertEquals("chat-v1", audited.getString("from"));
    assertTrue(audited.getString("time").startsWith("20"));
    events.await("changed event", 3_000, e -> "changed".equals(e.getString("type")) && "chat-v2".equals(e.getString("to")));

    // WHEN alice rolls the scope back
    TestHttp.Response back = admin("/admin/scopes/rollback", scope().put("reason", "drill: prove rollback"));

    // THEN it returns to the version's rollback_route_version
    assertEquals(200, back.status(), back.text());
    assertEquals("chat-v1", back.json().getString("to"));
    assertEquals("chat-v1", servedBy());
    assertEquals(2, auditEntries().size(), "two changes, two entries: starting the node audits nothing");
  }

  @Test
  void staleCompareAndSet_loses_andIsToldSo() {
    long seen = revision();
    assertEquals(200, admin("/admin/scopes/activate", activate("chat-v2").put("expected_revision", seen)).status());

    // A second operator decided on the old revision
    TestHttp.Response stale = admin("/admin/scopes/activate", activate("chat-v1").put("expected_revision", seen));

    assertEquals(409, stale.status());
    assertEquals("stale_revision", stale.json().getJsonObject("error").getString("code"));
    assertEquals("chat-v2", servedBy(), "the stale writer changed nothing");
  }

  @Test
  void invalidActivations_areRefusedWithTheReason() {
    TestHttp.Response unknown = admin("/admin/scopes/activate", activate("chat-v9"));
    TestHttp.Response expired = admin("/admin/scopes/activate", activate("chat-old"));
    TestHttp.Response noReason = admin("/admin/scopes/activate", activate("chat-v2").put("reason", ""));
    TestHttp.Response baseline = admin("/admin/scopes/rollback", scope().put("reason", "x"));

    assertEquals(400, unknown.status());
    assertTrue(unknown.json().getJsonObject("error").getString("message").contains("chat-v9"));
    assertEquals(400, expired.status());
    assertTrue(expired.json().getJsonObject("error").getString("message").contains("expired"));
    assertEquals(400, noReason.status());
    assertEquals(400, baseline.status(), "chat-v1 is a baseline: nothing to roll back to");
    assertEquals("chat-v1", servedBy());
  }

  @Test
  void anOperatorsFlip_survivesARestart_untilTheFileMovesThatPointer() throws IOException {
    assertEquals(200, admin("/admin/scopes/activate", activate("chat-v2")).status());
    // (an audit entry without pointers, such as a key rotation, is no reason to forget the flip)
    assertEquals(200, admin("/admin/secrets/reload", new JsonObject()).status());
    long flipped = revision();

    // WHEN the node restarts on the same config and audit log
    stop();
    startNodeOnDir();

    // THEN the flip is still in force, at its revision
    assertEquals("chat-v2", servedBy());
    assertEquals(flipped, revision());

    // WHEN the file's pointer for that scope is edited while the node is down
    stop();
    Files.writeString(dir.resolve("routes.yaml"),
        ROUTES.replace("model_alias: chat, route_version: chat-v1}", "model_alias: chat, route_version: chat-v3}"),
        StandardCharsets.UTF_8);
    startNodeOnDir();

    // THEN the newer intent, the file's, wins: a change on top of the last revision, audited as a file edit
    assertEquals("chat-v3", servedBy());
    JsonObject status = admin("/admin/routes", null).json();
    assertEquals("chat-v3", status.getJsonArray("pointers").getJsonObject(0).getString("route_version"));
    assertEquals(flipped + 1, status.getLong("revision"), "revisions never go backwards");
    JsonObject edit = auditEntries().get(auditEntries().size() - 1);
    assertEquals("file", edit.getString("action"));
    JsonObject moved = edit.getJsonArray("changes").getJsonObject(0);
    assertEquals("chat-v2", moved.getString("from"));
    assertEquals("chat-v3", moved.getString("to"));
  }

  @Test
  void aNodeWhoseFileTurnedInvalidWhileDown_startsOnTheCopyItAppliedLast_andShowsTheRefusal() throws IOException {
    assertEquals(200, admin("/admin/scopes/activate", activate("chat-v2")).status());
    stop();
    Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("mode: fallback_only", "mode: fallback_onyl"),
        StandardCharsets.UTF_8);

    startNodeOnDir();

    assertEquals("chat-v2", servedBy());
    String rejection = admin("/admin/routes", null).json().getString("last_rejection");
    assertTrue(rejection != null && rejection.contains("routes[1].mode"), String.valueOf(rejection));

    // Without that copy (and no cluster to ask) there is nothing to start on: refused with the field path
    stop();
    Files.delete(dir.resolve("data/audit.routes-applied.yaml"));
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    Throwable refused = Node.start(vertx, NodeConfig.loadForStart(dir, env))
        .transform(started -> io.vertx.core.Future.succeededFuture(started.cause())).await();
    assertTrue(refused instanceof io.turnout.config.ConfigException e && "routes[1].mode".equals(e.path()),
        String.valueOf(refused));
  }

  @Test
  void afterARollback_noRetryStartsOnTheRolledBackRoute_theRequestContinuesOnTheNewVersion() {
    // GIVEN the scope on chat-v2 (CometAPI only), whose next answer is a slow 500
    assertEquals(200, admin("/admin/scopes/activate", activate("chat-v2")).status());
    sim.reset("cometapi");
    sim.reset("primary");
    sim.script("cometapi", new JsonObject().put("latency_ms", 1_000).put("faults", new JsonArray()
        .add(io.turnout.testing.Faults.status(500).put("times", 1))));
    var inFlight = http.raw().request(new io.vertx.core.http.RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(node.httpPort()).setURI("/v1/chat/completions"))
        .compose(r -> r.putHeader("content-type", "application/json").send(ChatRequests.plain("chat").toBuffer()))
        .compose(r -> r.body().map(b -> new TestHttp.Response(r.statusCode(), r.headers(), b)));
    io.turnout.testing.Eventually.await(vertx, "CometAPI has the request", 3_000,
        () -> sim.stats("cometapi").getInteger("open_exchanges") == 1);

    // WHEN the operator rolls the scope back while that attempt is in flight
    assertEquals(200, admin("/admin/scopes/rollback", scope().put("reason", "fallback errors")).status());

    // THEN the in-flight attempt finishes, but its retry goes to the rolled-back-to version
    TestHttp.Response response = inFlight.await();
    assertEquals(200, response.status(), response.text());
    assertEquals("chat-v1", response.header("x-turnout-route-version"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals(1, sim.requests("cometapi").size(), "no new attempt on the rolled-back route");
    assertEquals(1, sim.requests("primary").size());
  }

  @Test
  void routesAndAuditAreReadable() {
    admin("/admin/scopes/activate", activate("chat-v2"));

    JsonObject status = admin("/admin/routes", null).json();
    JsonArray audit = admin("/admin/audit?limit=10", null).json().getJsonArray("entries");

    assertEquals(revision(), status.getLong("revision"));
    assertTrue(status.getJsonObject("route_map").getJsonArray("routes").size() >= 3);
    assertEquals("activate", audit.getJsonObject(audit.size() - 1).getString("action"));
  }

  private TestHttp.Response admin(String path, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN);
    return body == null ? adminHttp.send(HttpMethod.GET, path, null, headers)
        : adminHttp.send(HttpMethod.POST, path, body.toBuffer(), headers.add("content-type", "application/json"));
  }

  private static JsonObject scope() {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat");
  }

  private static JsonObject activate(String version) {
    return scope().put("route_version", version).put("reason", "primary degraded");
  }

  private long revision() {
    return admin("/admin/routes", null).json().getLong("revision");
  }

  private String servedBy() {
    return http.chat(ChatRequests.plain("chat")).header("x-turnout-route-version");
  }

  private List<JsonObject> auditEntries() throws IOException {
    return new AuditLog(dir.resolve("data/audit.jsonl")).readAll();
  }

  private JsonObject lastAuditEntry() throws IOException {
    List<JsonObject> entries = auditEntries();
    return entries.get(entries.size() - 1);
  }

  private void startNodeOnDir() {
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    node = Node.start(vertx, NodeConfig.loadForStart(dir, env)).await();
    http = new TestHttp(vertx, node.httpPort());
    adminHttp = new TestHttp(vertx, node.adminPort());
  }

  private void stop() {
    if (node != null) {
      http.close().await();
      adminHttp.close().await();
      node.stop().await();
      node = null;
    }
  }
}
