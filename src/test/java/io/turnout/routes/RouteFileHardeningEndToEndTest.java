package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.audit.AuditLog;
import io.turnout.controlplane.routes.RouteFileWatcher;
import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.testing.BusEvents;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched route file, hardened (issue 13 items 12-17), on a real node watching a real
 * directory: deleted and oversized files, emptied pointers, versions changed in place, edits that
 * change nothing, recoveries that never need force, and readiness without pointers.
 */
@ExtendWith(VertxExtension.class)
class RouteFileHardeningEndToEndTest {

  private static final long SCAN_PERIOD_MS = 100;
  private static final long EVENT_TIMEOUT_MS = 5_000;
  private static final long MAX_FILE_BYTES = 8_192;
  private static final String TOKEN = "admin-token-for-alice";

  /**
   * chat-v2 serves; its rollback is the baseline chat-v1; the alias's rollback_target chat-safe is on
   * no chain and no baseline; chat-v3 is a forward move.
   */
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-safe}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-safe, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 20000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v2, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v2}
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
    String yaml = TestNode.replace(TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.ROUTING,
        "routing:\n  watch: true\n  scan_period_ms: " + SCAN_PERIOD_MS + "\n  max_file_bytes: " + MAX_FILE_BYTES
            + "\n"), TestNode.PROBES, "probes:\n  required: true\n  evidence_dir: " + dir.resolve("evidence") + "\n")
        + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n"
        + "audit:\n  file: audit.jsonl\n";
    Files.writeString(dir.resolve(NodeConfig.FILE), yaml, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);
    events = BusEvents.record(vertx, RouteEvents.ADDRESS);
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    node = Node.start(vertx, NodeConfig.load(dir, env)).await();
    http = new TestHttp(vertx, node.httpPort());
    adminHttp = new TestHttp(vertx, node.adminPort());
    assertEquals("chat-v2", servedBy());
  }

  @AfterEach
  void stopNode() {
    events.close();
    http.close().await();
    adminHttp.close().await();
    node.stop().await();
  }

  @Test
  void aDeletedFile_isOneWarnAndOneRejection_andTheRunningMapStays() throws IOException {
    try (LogCapture log = LogCapture.logger(RouteFileWatcher.class.getName())) {
      Files.delete(dir.resolve("routes.yaml"));

      JsonObject rejected = events.await("the rejection", EVENT_TIMEOUT_MS, type("rejected"));
      Eventually.holds(vertx, "one rejection over many scans", 10 * SCAN_PERIOD_MS,
          () -> events.matching(type("rejected")).size() == 1);

      assertEquals("", rejected.getString("path"));
      assertTrue(rejected.getString("reason").contains("missing"), rejected.encode());
      assertEquals(rejected.getString("time"), rejected.getString("at"));
      assertEquals(1, log.lines().size(), log.text());
      assertFalse(log.text().contains("Exception"), "no stack trace: " + log.text());
    }
    JsonObject status = admin(HttpMethod.GET, "/admin/routes", null).json();
    assertTrue(status.getString("last_rejection").contains("missing"), status.encode());
    assertEquals(1L, status.getLong("rejected_edits"));
    assertEquals("chat-v2", servedBy());
  }

  @Test
  void aFileOverMaxFileBytes_isRefused_andRouteControlKeepsWorking() throws IOException {
    write(ROUTES + "# " + "x".repeat((int) MAX_FILE_BYTES) + "\n");

    JsonObject rejected = events.await("the rejection", EVENT_TIMEOUT_MS, type("rejected"));
    assertTrue(rejected.getString("reason").contains("max_file_bytes"), rejected.encode());
    assertEquals(List.of(), events.matching(type("applied")));

    // THEN an operator's rollback still answers, and the next edit still applies
    TestHttp.Response back = admin(HttpMethod.POST, "/admin/scopes/rollback", scope().put("reason", "after the big file"));
    assertEquals(200, back.status(), back.text());
    assertEquals("chat-v1", servedBy());
    write(ROUTES.replace("route_version: chat-v2}", "route_version: chat-safe}"));
    events.await("the next edit applied", EVENT_TIMEOUT_MS, type("applied"));
    assertEquals("chat-safe", servedBy());
  }

  @Test
  void aCommentOrWhitespaceOnlyEdit_makesNoRevisionAndNoAuditEntry() throws IOException {
    long revision = revision();
    int audited = audit().size();

    write("# reviewed by bob\n" + ROUTES.replace("\n", "\n\n") + "   \n");

    Eventually.holds(vertx, "nothing applied over many scans", 10 * SCAN_PERIOD_MS,
        () -> events.matching(type("applied")).isEmpty() && events.matching(type("rejected")).isEmpty());
    assertEquals(revision, revision());
    assertEquals(audited, audit().size());
  }

  @Test
  void anEmptiedActiveList_isRefusedNamingActive() throws IOException {
    write(ROUTES.substring(0, ROUTES.indexOf("active:")) + "active: []\n");

    JsonObject rejected = events.await("the rejection", EVENT_TIMEOUT_MS, type("rejected"));

    assertEquals("active", rejected.getString("path"));
    assertTrue(rejected.getString("reason").contains("disabled"), rejected.encode());
    assertEquals("chat-v2", servedBy());
  }

  @Test
  void aVersionChangedInPlace_isRefusedNamingTheField() throws IOException {
    write(ROUTES.replace("timeout_ms: 20000", "timeout_ms: 5000"));

    JsonObject rejected = events.await("the rejection", EVENT_TIMEOUT_MS, type("rejected"));

    assertEquals("routes[1].timeout_ms", rejected.getString("path"));
    assertTrue(rejected.getString("reason").contains("route version chat-safe changed in place"), rejected.encode());
  }

  @Test
  void recoveries_needNoProbeEvidenceAndNoForce_aForwardMoveStillDoes() {
    // probes.required and no version has a probe run: the alias's rollback_target (on no rollback chain, no
    // baseline) is a recovery all the same
    TestHttp.Response safe = admin(HttpMethod.POST, "/admin/scopes/activate",
        scope().put("route_version", "chat-safe").put("reason", "recover"));
    assertEquals(200, safe.status(), safe.text());
    assertNull(safe.json().getValue("forced"));

    // while a forward move is still guarded, naming the field
    TestHttp.Response forward = admin(HttpMethod.POST, "/admin/scopes/activate",
        scope().put("route_version", "chat-v3").put("reason", "go"));
    assertEquals(400, forward.status(), forward.text());
    assertEquals("route_version", forward.json().getJsonObject("error").getString("param"));
    assertEquals("chat-safe", servedBy());
  }

  @Test
  void aRollbackOnAScopeWithoutAPointer_goesToTheAliasRollbackTarget() {
    TestHttp.Response back = admin(HttpMethod.POST, "/admin/scopes/rollback",
        new JsonObject().put("tenant_or_cohort", "team-a").put("model_alias", "chat").put("reason", "team-a only"));

    assertEquals(200, back.status(), back.text());
    assertNull(back.json().getString("from"));
    assertEquals("chat-safe", back.json().getString("to"));
  }

  @Test
  void aBadAdminBody_is400NamingTheField_andNothingIsSent() {
    long revision = revision();

    TestHttp.Response bad = admin(HttpMethod.POST, "/admin/scopes/resume", scope().put("reason", "r")
        .put("canary_share", 2));

    assertEquals(400, bad.status(), bad.text());
    assertEquals("canary_share", bad.json().getJsonObject("error").getString("param"));
    assertEquals(revision, revision());
  }

  @Test
  void aNodeWithoutAnyPointer_isNotReady() {
    String noPointers = ROUTES.substring(0, ROUTES.indexOf("active:")) + "active: []\n";
    TestNode empty = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000), noPointers);
    try {
      TestHttp.Response ready = empty.http().send(HttpMethod.GET, "/health/ready", null);
      assertEquals(503, ready.status(), ready.text());
      assertEquals(200, http.send(HttpMethod.GET, "/health/ready", null).status(), "a node with pointers is");
    } finally {
      empty.stop();
    }
  }

  @Test
  void yamlKeysOnYesNo_areNames_notBooleans() {
    String onAlias = ROUTES.replace("model_alias: chat", "model_alias: on").replace("  chat: {", "  on: {");
    TestNode named = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000), onAlias);
    try {
      TestHttp.Response response = named.http().chat(ChatRequests.plain("on"));
      assertEquals(200, response.status(), response.text());
      assertEquals("chat-v2", response.header("x-turnout-route-version"));
    } finally {
      named.stop();
    }
  }

  private static JsonObject scope() {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat");
  }

  /** The admin API, its address in one place. */
  private TestHttp.Response admin(HttpMethod method, String path, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN);
    if (body != null) {
      headers.add("content-type", "application/json");
    }
    return adminHttp.send(method, path, body == null ? null : body.toBuffer(), headers);
  }

  private long revision() {
    return admin(HttpMethod.GET, "/admin/routes", null).json().getLong("revision");
  }

  private List<JsonObject> audit() {
    try {
      return new AuditLog(dir.resolve("audit.jsonl")).readAll();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String servedBy() {
    TestHttp.Response response = http.chat(ChatRequests.plain("chat"));
    assertEquals(200, response.status(), response.text());
    return response.header("x-turnout-route-version");
  }

  private void write(String text) throws IOException {
    Path staged = Files.createTempFile(dir, "routes", ".tmp");
    Files.writeString(staged, text, StandardCharsets.UTF_8);
    Files.move(staged, dir.resolve("routes.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private Predicate<JsonObject> type(String type) {
    return event -> type.equals(event.getString("type")) && node.id().equals(event.getString("node"));
  }
}
