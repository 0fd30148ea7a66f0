package io.turnout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.cli.CliHarness.Result;
import io.turnout.testing.ChatRequests;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drills driven by the CLI against a real node: prompts, declines, blocked steps, a full run, watch and report. */
class CliDrillCommandsTest {

  private CliHarness h;

  @BeforeEach
  void start() throws Exception {
    // DrillClusterEndToEndTest's settings: small buckets and grace, so a rollback settles in about a second.
    h = CliHarness.start("""
        gates:
          tick_ms: 100
          bucket_ms: 500
        drills:
          report_dir: %s
          drain_grace_ms: 200
          min_samples: 5
          auto_fallback: {require_drill: false}
        """.formatted(Files.createTempDirectory("turnout-cli-drills")), CliHarness.ROUTES);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void anApprovalDeclinedAtThePrompt_sendsNothing() {
    String id = startDrill();
    Result declined = h.runWithInput("n\n", "drill", "approve", id, "--reason", "not yet");
    assertEquals(Exit.BLOCKED, declined.code(), declined.toString());
    assertTrue(declined.out().contains("Approving runs step probes:"), declined.out());
    assertTrue(declined.out().contains("  - runs the preflight probes"), declined.out());
    assertTrue(declined.err().contains("Approve step probes of drill " + id + "? [y/N]"), declined.err());
    assertTrue(declined.err().contains("declined: nothing was sent"), declined.err());
    Result noTerminal = h.runWithInput("", "drill", "approve", id, "--reason", "no input");
    assertEquals(Exit.BLOCKED, noTerminal.code(), "end of input is a no: " + noTerminal);

    JsonObject drill = h.admin("/admin/drills/" + id);
    assertEquals("prepared", drill.getString("step"));
    assertEquals(1, drill.getJsonArray("steps").size(), "no approval reached the node");

    Result approved = h.runWithInput("y\n", "drill", "approve", id, "--reason", "contract first");
    assertEquals(Exit.OK, approved.code(), approved.toString());
    assertTrue(approved.out().contains("probes: done: "), approved.out());
    assertEquals("probes", h.admin("/admin/drills/" + id).getString("step"));

    Result json = h.run("drill", "approve", id, "--reason", "no internal version", "--yes", "-o", "json");
    assertEquals(Exit.OK, json.code(), json.toString());
    assertEquals("internal", json.json().getString("step"), "stdout is the node's JSON only");
    assertTrue(json.err().contains("Approving runs step internal:"), json.err());
  }

  @Test
  void anInteractiveRun_promptsForEachStep_andStopsWhereTheOperatorSaysNo() {
    Result run = h.runWithInput("y\nn\n", "drill", "run", "chat", "--canary", "chat-canary", "--reason", "q4 drill");
    assertEquals(Exit.BLOCKED, run.code(), run.toString());
    assertTrue(run.err().contains("Approve step probes of drill "), run.err());
    assertTrue(run.err().contains("Approve step internal of drill "), run.err());
    assertTrue(run.out().contains("stopped (declined at internal)"), run.out());
    String id = onlyDrill().getString("id");
    JsonObject drill = h.admin("/admin/drills/" + id);
    assertEquals("probes", drill.getString("step"));
    assertEquals("q4 drill (step probes)", drill.getJsonArray("steps").getJsonObject(1).getString("reason"));

    Result aborted = h.run("drill", "abort", id, "--reason", "stop here");
    assertEquals(Exit.OK, aborted.code(), aborted.toString());
    assertEquals("aborted", h.admin("/admin/drills/" + id).getString("step"));
    assertEquals(Exit.BLOCKED, h.run("drill", "watch", id).code(), "an aborted drill did not complete");
    assertEquals(Exit.REFUSED, h.run("drill", "approve", id, "--reason", "x", "--yes").code());
  }

  @Test
  void aRunWithoutTrafficAfterTheRollback_stopsAtTheBlockedCheck() {
    Result run = h.run("drill", "run", "chat", "--canary", "chat-canary", "--reason", "no traffic", "--yes");
    assertEquals(Exit.BLOCKED, run.code(), run.toString());
    assertTrue(run.out().matches("(?s).*(drain_check|reenable): BLOCKED: .*"), run.out());
    assertTrue(run.out().contains("stopped (blocked at "), run.out());
    JsonObject drill = h.admin("/admin/drills/" + onlyDrill().getString("id"));
    assertEquals("blocked", drill.getString("status"));
    assertTrue(List.of("drain_check", "reenable").contains(drill.getString("step")), drill.getString("step"));

    Result watch = h.run("drill", "watch", drill.getString("id"), "--timeout", "PT5S");
    assertEquals(Exit.BLOCKED, watch.code(), watch.toString());
    assertTrue(watch.out().contains("BLOCKED: "), watch.out());
  }

  @Test
  void aRunWithYes_walksTheDrillToComplete_andTheReportShowsIt() throws Exception {
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    // Client traffic from the canary step on: during the probe runs it would compete with the timing
    // probe for the event loops of a busy test machine.
    Thread traffic = new Thread(() -> {
      boolean probed = false;
      while (sending.get()) {
        if (probed) {
          h.node.http().chat(ChatRequests.plain("chat"));
          sent.incrementAndGet();
        } else {
          var drills = h.admin("/admin/drills").getJsonArray("drills");
          probed = !drills.isEmpty() && !List.of("prepared", "probes").contains(drills.getJsonObject(0).getString("step"));
          java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // a poll's pace, not a wait for time to pass
        }
      }
    }, "cli-test-traffic");
    traffic.start();
    Result run;
    try {
      run = h.run("drill", "run", "chat", "--canary", "chat-canary", "--internal-version", "chat-internal-v1",
          "--reason", "quarterly drill", "--yes", "--settle", "PT1.5S");
    } finally {
      sending.set(false);
      traffic.join();
    }
    assertEquals(Exit.OK, run.code(), run.toString());
    for (String step : List.of("probes", "internal", "canary", "rollback", "drain_check", "reenable")) {
      assertTrue(run.out().contains(step + ": done: "), step + " in\n" + run.out());
    }
    assertTrue(sent.get() > 10, "traffic flowed: " + sent.get());
    List<String> lines = run.out().lines().toList();
    int canaryNumbers = -1;
    for (int i = 0; i < lines.size() && canaryNumbers < 0; i++) {
      canaryNumbers = lines.get(i).matches("chat-canary +[1-9]\\d* .*") ? i : -1;
    }
    assertTrue(canaryNumbers >= 0 && canaryNumbers < lines.indexOf("Approving runs step rollback:"),
        "the canary's numbers are shown before its rollback is approved:\n" + run.out());
    String id = onlyDrill().getString("id");
    JsonObject drill = h.admin("/admin/drills/" + id);
    assertEquals("complete", drill.getString("step"));
    assertEquals("complete", drill.getString("status"));

    Result watch = h.run("drill", "watch", id);
    assertEquals(Exit.OK, watch.code(), watch.toString());
    Result list = h.run("drill", "list");
    assertTrue(list.out().lines().anyMatch(l -> l.matches(id + " +production/\\*/chat +complete +complete +\\S+")), list.out());
    Result report = h.run("drill", "report", id);
    assertEquals(Exit.OK, report.code(), report.toString());
    assertTrue(report.out().contains("rollback decision: return to chat-v1 by alice: quarterly drill (step rollback)"),
        report.out());
    // the canary took traffic while it was on (--settle before the rollback): the evidence shows it
    assertTrue(report.out().lines().anyMatch(l -> l.matches("chat-canary +[1-9]\\d* .*")), report.out());
    assertTrue(report.out().lines().anyMatch(l -> l.matches("chat-v1 +[1-9]\\d* .*")), report.out());
    assertTrue(report.out().contains("clean-rollback checks:"), report.out());
    Path html = Files.createTempDirectory("turnout-cli-report").resolve("drill.html");
    Result saved = h.run("drill", "report", id, "--html", html.toString());
    assertEquals(Exit.OK, saved.code(), saved.toString());
    assertTrue(Files.readString(html).contains("quarterly drill (step rollback)"));
    assertEquals(Exit.OK, h.run("drill", "report", id, "-o", "json").code());
  }

  private String startDrill() {
    Result started = h.run("drill", "start", "chat", "--canary", "chat-canary", "--reason", "cli drill");
    assertEquals(Exit.OK, started.code(), started.toString());
    assertTrue(started.out().contains("step prepared, AWAITING_APPROVAL"), started.out());
    return onlyDrill().getString("id");
  }

  private JsonObject onlyDrill() {
    var drills = h.admin("/admin/drills").getJsonArray("drills");
    assertEquals(1, drills.size(), drills.encode());
    return drills.getJsonObject(0);
  }
}
