package io.turnout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.turnout.testing.Faults.status;

import io.turnout.cli.CliHarness.Result;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** activate / rollback / resume and probe runs against a real node: what changes, what is refused and with which exit status. */
class CliScopeCommandsTest {

  private CliHarness h;

  @BeforeEach
  void start() {
    h = CliHarness.start("gates:\n  tick_ms: 100\n  bucket_ms: 500\n", CliHarness.ROUTES);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void activateAndRollback_withAReason_moveTheScopeAndAreAudited() {
    Result up = h.run("activate", "*/chat", "chat-canary", "--reason", "start the canary");
    assertEquals(Exit.OK, up.code(), up.toString());
    assertEquals("activate production/*/chat: chat-v1 -> chat-canary at revision 1 by alice", up.out().strip());
    assertEquals("chat-canary", pointer("*"));

    Result back = h.run("rollback", "*/chat", "--reason", "canary error rate", "-o", "json");
    assertEquals(Exit.OK, back.code(), back.toString());
    JsonObject entry = back.json();
    assertEquals("chat-v1", entry.getString("to"));
    assertEquals("canary error rate", entry.getString("reason"));
    assertEquals("chat-v1", pointer("*"));
    JsonObject newest = last(h.admin("/admin/audit?limit=1"));
    assertEquals("rollback", newest.getString("action"));
    assertEquals("alice", newest.getString("operator"));
  }

  @Test
  void withoutAReason_nothingIsSent_andABlankOneIsRefusedByTheNode() {
    long before = h.admin("/admin/routes").getLong("revision");
    Result missing = h.run("activate", "*/chat", "chat-canary");
    assertEquals(Exit.USAGE, missing.code(), missing.toString());
    assertTrue(missing.err().contains("Missing required option: '--reason=TEXT'"), missing.err());

    Result blank = h.run("activate", "*/chat", "chat-canary", "--reason", " ");
    assertEquals(Exit.REFUSED, blank.code(), blank.toString());
    assertTrue(blank.err().contains("refused: 400") && blank.err().contains("a reason is required"), blank.err());
    assertEquals(before, h.admin("/admin/routes").getLong("revision"), "nothing changed");
    assertEquals("chat-v1", pointer("*"));

    Result badScope = h.run("rollback", "chat", "--reason", "x");
    assertEquals(Exit.USAGE, badScope.code(), badScope.toString());
    assertTrue(badScope.err().contains("SCOPE must be tenant_or_cohort/model_alias"), badScope.err());
  }

  @Test
  void aStaleExpectedRevision_isRefused_andChangesNothing() {
    assertEquals(Exit.OK, h.run("activate", "internal/chat", "chat-internal-v1", "--reason", "move on",
        "--expected-revision", "0").code());
    Result stale = h.run("rollback", "internal/chat", "--reason", "late", "--expected-revision", "0");
    assertEquals(Exit.REFUSED, stale.code(), stale.toString());
    assertTrue(stale.err().contains("refused: 409 stale_revision"), stale.err());
    assertEquals("chat-internal-v1", pointer("internal"));
    assertEquals(1, h.admin("/admin/routes").getLong("revision"));
    Result resumed = h.run("resume", "internal/chat", "--reason", "lift it", "--expected-revision", "1");
    assertEquals(Exit.REFUSED, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("neither frozen nor paused"), resumed.err());
    assertEquals(1, h.admin("/admin/routes").getLong("revision"));
  }

  @Test
  void aProbeRun_listsTheFailingProbesFirst_andExitsBlocked() {
    // The canary's fallback reports no usage: only usage_telemetry fails, the last probe of the suite.
    h.sim.script("cometapi", new JsonObject().put("latency_ms", 30).put("usage", false));
    Result failed = h.run("probe", "run", "chat-canary");
    assertEquals(Exit.BLOCKED, failed.code(), failed.toString());
    List<String> lines = failed.out().lines().toList();
    assertTrue(lines.get(0).matches("probe run \\w+ of chat-canary at \\S+ by alice: FAILED \\(1 of \\d+ probes\\)"), lines.get(0));
    assertTrue(lines.get(1).startsWith("RESULT  PROBE"), lines.get(1));
    assertTrue(lines.get(2).matches("FAIL +usage_telemetry +cometapi +fallback .*"), failed.out());
    assertTrue(lines.stream().skip(3).allMatch(l -> l.startsWith("pass ")), failed.out());

    h.sim.script("cometapi", new JsonObject().put("latency_ms", 30));
    Result passed = h.run("probe", "run", "chat-canary", "-o", "json");
    assertEquals(Exit.OK, passed.code(), passed.toString());
    assertTrue(passed.json().getBoolean("passed"));
    assertEquals(Exit.OK, h.run("probe", "latest", "chat-canary").code());
    assertEquals(Exit.REFUSED, h.run("probe", "run", "chat-v9").code());
  }

  @Test
  void aScopeAGateFroze_showsFrozenInStatus_andResumeLiftsIt() {
    assertEquals(Exit.OK, h.run("activate", "*/chat", "chat-canary", "--reason", "canary").code());
    // GIVEN the canary's fallback answering 500: the runbook's fallback_5xx gate stops the expansion
    h.sim.failAlways("cometapi", status(500));
    Eventually.await(h.vertx, "the gate froze the scope", 15_000, () -> {
      for (int i = 0; i < 5; i++) {
        h.node.http().chat(ChatRequests.forUser("chat", "user-" + i));
      }
      return Boolean.TRUE.equals(scopePointer("*").getValue("frozen"));
    });
    Result status = h.run("status");
    assertTrue(status.out().lines().anyMatch(l -> l.matches("production/\\*/chat +chat-canary +canary +\\S+ +FROZEN by gate:\\S+ "
        + "+BREACH \\S*fallback_5xx.*")), status.out());
    Result gates = h.run("gates");
    assertTrue(gates.out().lines().skip(2).findFirst().orElse("").matches("production/\\*/chat +chat-canary +fallback_5xx +BREACH .*"),
        "breaches first: " + gates.out());
    assertTrue(gates.out().contains("latest gate actions:"), gates.out());

    h.sim.reset("cometapi");
    // the gate's window still holds the breach: an unforced resume is refused, a forced one lifts it
    Result refused = h.run("resume", "*/chat", "--reason", "INC closed");
    assertEquals(Exit.REFUSED, refused.code(), refused.toString());
    Result resumed = h.run("resume", "*/chat", "--reason", "INC closed", "--force");
    assertEquals(Exit.OK, resumed.code(), resumed.toString());
    assertTrue(resumed.out().startsWith("resume production/*/chat: {"), resumed.out());
    // (the gate may freeze it again at its next tick: its window still holds the breach)
    JsonObject entry = h.admin("/admin/audit?limit=20").getJsonArray("entries").stream().map(e -> (JsonObject) e)
        .filter(e -> "resume".equals(e.getString("action"))).findFirst().orElseThrow();
    assertEquals("INC closed", entry.getString("reason"));
    assertEquals(true, entry.getJsonObject("from").getValue("frozen"));
    assertEquals(false, entry.getJsonObject("to").getValue("frozen"));
  }

  private JsonObject scopePointer(String cohort) {
    return h.admin("/admin/routes").getJsonArray("pointers").stream().map(p -> (JsonObject) p)
        .filter(p -> cohort.equals(p.getString("tenant_or_cohort"))).findFirst().orElseThrow();
  }

  private String pointer(String cohort) {
    return h.admin("/admin/routes").getJsonArray("pointers").stream().map(p -> (JsonObject) p)
        .filter(p -> cohort.equals(p.getString("tenant_or_cohort"))).findFirst().orElseThrow().getString("route_version");
  }

  private static JsonObject last(JsonObject audit) {
    var entries = audit.getJsonArray("entries");
    return entries.getJsonObject(entries.size() - 1);
  }
}
