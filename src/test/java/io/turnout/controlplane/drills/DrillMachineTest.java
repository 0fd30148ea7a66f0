package io.turnout.controlplane.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.drills.DrillCommand.Abort;
import io.turnout.controlplane.drills.DrillCommand.Approve;
import io.turnout.controlplane.drills.DrillCommand.GateAbort;
import io.turnout.controlplane.drills.DrillCommand.StepFinished;
import io.turnout.routes.RouteMap;
import io.turnout.routes.ScopeKey;
import io.turnout.testing.SteppedClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The drill state machine without a cluster or Vert.x: every transition and every refusal, on a
 * stepped clock. A refusal is thrown before anything is decided, so it can leave nothing behind.
 */
class DrillMachineTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-canary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.5, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-internal-v0, environment: production, tenant_or_cohort: internal, model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-internal-v0,
           owner: tests}
        - {route_version: chat-internal-v1, environment: production, tenant_or_cohort: internal, model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-internal-v0, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: internal, model_alias: chat, route_version: chat-internal-v0}
      """;
  private static final Instant T0 = Instant.parse("2026-12-04T01:00:00Z");
  private static final ScopeKey SCOPE = new ScopeKey("production", "*", "chat");
  private static final ScopeKey INTERNAL = new ScopeKey("production", "internal", "chat");

  private final SteppedClock clock = new SteppedClock(T0);
  private final RouteMap map = RouteMap.parse("routes.yaml", ROUTES, Set.of("primary", "cometapi"), T0);
  private final DrillMachine machine = new DrillMachine(new DrillRules("node-a", 1_000, 600_000, 200, 0.01, 5));

  private Drill start(String canary, String internal) {
    return DrillStart.decide(new DrillStart.Start("alice", "quarterly drill", "production", null, "chat", canary,
        internal, null), map, map.active(), List.of(), "drill-1", clock.millis(),
        scopes -> new Baseline(600_000, 40, 0.025, true)).state();
  }

  private Approve approve(String step) {
    return new Approve(step, "alice", "go " + step, false);
  }

  /** Claims with {@code command}, then finishes with {@code result} a second later. */
  private Drill run(Drill drill, DrillCommand command, StepResult result) {
    Decision claimed = machine.decide(drill, command, clock.millis());
    clock.advance(Duration.ofSeconds(1));
    return machine.decide(claimed.state(), new StepFinished(command, result), clock.millis()).state();
  }

  private static StepResult moved(ScopeKey scope, String from, String to) {
    return new StepResult(null, List.of(new StepResult.MoveOutcome(scope, to, true, scope + " moved from " + from
        + " to " + to, new RouteChange("t", scope, from, to, "alice", DrillStep.CANARY, 2L))), null, null,
        new JsonObject());
  }

  private static StepResult checks(boolean passed) {
    List<RollbackChecks.Check> list = List.of(new RollbackChecks.Check("no_attempts_in_flight", passed, "detail"));
    return new StepResult(null, List.of(), list, list, new JsonObject());
  }

  private static CommandRefusal refused(Runnable action) {
    return assertThrows(CommandRefusal.class, action::run);
  }

  @Test
  void aStartedDrill_waitsForItsProbesApproval_andSaysWhatItWillDo() {
    Drill drill = start("chat-canary", "chat-internal-v1");

    assertEquals(DrillStep.PREPARED, drill.step());
    assertEquals(DrillStatus.AWAITING_APPROVAL, drill.status());
    assertEquals(DrillStep.PROBES, drill.nextStep());
    assertEquals(List.of("chat-canary", "chat-v1", "chat-internal-v1", "chat-internal-v0"), drill.probeVersions());
    assertEquals(0.025, drill.baseline().errorRate());
    JsonObject json = drill.toJson();
    assertEquals("probes", json.getString("next_step"));
    assertTrue(json.getJsonArray("next_step_checks").getString(0).contains("[chat-canary, chat-v1"), json.encode());
  }

  @Test
  void aDrillThatCannotProveAnything_isRefusedAtStart_withTheField() {
    assertEquals("canary_version", refused(() -> start("chat-v2", null)).field(), "primary_only: no fallback route");
    assertEquals("canary_version", refused(() -> start("chat-v1", null)).field(), "already the scope's version");
    CommandRefusal unknown = refused(() -> start("chat-nope", null));
    assertEquals(400, unknown.status());
    assertEquals("canary_version", unknown.field());
    assertEquals("internal_version", refused(() -> start("chat-canary", "chat-internal-v0")).field());
    assertEquals("reason", refused(() -> DrillStart.decide(new DrillStart.Start("alice", " ", "production", null,
        "chat", "chat-canary", null, null), map, map.active(), List.of(), "d", 0, s -> null)).field());
  }

  @Test
  void aSecondDrillOnTheSameScope_isRefused() {
    Drill first = start("chat-canary", null);
    CommandRefusal refusal = refused(() -> DrillStart.decide(new DrillStart.Start("bob", "again", "production",
        null, "chat", "chat-canary", null, null), map, map.active(), List.of(first), "drill-2", 0, s -> null));
    assertEquals(409, refusal.status());
    assertEquals("scope_in_drill", refusal.code());
  }

  @Test
  void anApproval_namesTheStepItApproves_andNothingElse() {
    Drill drill = start("chat-canary", null);

    CommandRefusal missing = refused(() -> machine.decide(drill, approve(null), clock.millis()));
    assertEquals(400, missing.status());
    assertEquals("expected_step", missing.field());
    assertEquals("reason", refused(() -> machine.decide(drill, new Approve("probes", "alice", "", false),
        clock.millis())).field());
    CommandRefusal wrong = refused(() -> machine.decide(drill, approve("canary"), clock.millis()));
    assertEquals(409, wrong.status());
    assertEquals("step_mismatch", wrong.code());

    Decision claimed = machine.decide(drill, approve("probes"), clock.millis());
    assertEquals(DrillStatus.RUNNING, claimed.state().status());
    assertEquals("node-a", claimed.state().claim().by());
    assertEquals(List.of(new DrillEffect.RunProbes(drill.probeVersions(), "alice"),
        new DrillEffect.SumPhase(DrillStep.PREPARED, Set.of(SCOPE), T0.toEpochMilli(), T0.toEpochMilli())),
        claimed.effects());
  }

  @Test
  void aResentApprovalOfAStepThatPassed_isRefused_notAppliedToTheNextStep() {
    Drill probed = run(start("chat-canary", null), approve("probes"), new StepResult(List.of(new ProbeRun("chat-canary",
        true, "run-1", "t", "node-a", null, List.of())), List.of(), null, null, new JsonObject()));
    assertEquals(DrillStep.PROBES, probed.step());
    assertEquals(DrillStep.INTERNAL, probed.nextStep());

    CommandRefusal resent = refused(() -> machine.decide(probed, approve("probes"), clock.millis()));
    assertEquals("step_mismatch", resent.code());
    assertTrue(resent.getMessage().contains("next step of drill drill-1 is 'internal'"), resent.getMessage());
  }

  @Test
  void aClaimedDrill_refusesCommands_sayingWhoHoldsItUntilWhen_untilTheClaimIsStale() {
    Drill claimed = machine.decide(start("chat-canary", null), approve("probes"), clock.millis()).state();

    CommandRefusal held = refused(() -> machine.decide(claimed, approve("probes"), clock.millis()));
    assertEquals("drill_claimed", held.code());
    assertTrue(held.getMessage().contains("claimed_by node-a, claim_expires_at 2026-12-04T01:15:00Z"),
        held.getMessage());
    assertEquals("drill_claimed", refused(() -> machine.decide(claimed, new Abort("bob", "stop"), clock.millis()))
        .code());
    assertEquals("drill_claimed", refused(() -> machine.decide(claimed, new GateAbort("gate:x", "rollback"),
        clock.millis())).code());

    clock.advance(Duration.ofMinutes(15));
    Decision takenOver = machine.decide(claimed, approve("probes"), clock.millis());
    assertEquals(clock.millis(), takenOver.state().claim().sinceMs());
    assertEquals(DrillStatus.AWAITING_APPROVAL, takenOver.state().claim().from());
  }

  @Test
  void failedProbes_blockTheStep_namingVersionsProbesAndClasses_andTheNextApprovalRetriesIt() {
    StepResult failed = new StepResult(List.of(new ProbeRun("chat-v1", true, "run-1", "t", "n", null, List.of()),
        new ProbeRun("chat-canary", false, "run-2", "t", "n", null, List.of(new ProbeRun.Failure("tool_call",
            "cometapi", "fallback", "malformed_response", "no choices")))), List.of(), null, null, new JsonObject());
    Drill blocked = run(start("chat-canary", null), approve("probes"), failed);

    assertEquals(DrillStatus.BLOCKED, blocked.status());
    assertEquals(DrillStep.PROBES, blocked.nextStep());
    assertEquals("probes failed for [chat-canary]: chat-canary: tool_call: malformed_response on fallback cometapi "
        + "(no choices)", blocked.blockedReason());
    assertEquals(DrillStatus.RUNNING, machine.decide(blocked, approve("probes"), clock.millis()).state().status());
  }

  @Test
  void theWholeWalk_movesTrafficOnlyThroughEffects_andEndsComplete() {
    Drill drill = start("chat-canary", "chat-internal-v1");
    drill = run(drill, approve("probes"), new StepResult(List.of(), List.of(), null, null, new JsonObject()));

    Decision internal = machine.decide(drill, approve("internal"), clock.millis());
    assertEquals(new DrillEffect.MoveScope(INTERNAL, "chat-internal-v1", "alice", "drill drill-1: internal cohort",
        false, DrillStep.INTERNAL, "drill-1"), internal.effects().get(0));
    drill = run(drill, approve("internal"), moved(INTERNAL, "chat-internal-v0", "chat-internal-v1"));
    drill = run(drill, approve("canary"), moved(SCOPE, "chat-v1", "chat-canary"));
    assertEquals(DrillStep.CANARY, drill.step());

    long rollbackAt = clock.millis();
    Decision rollback = machine.decide(drill, approve("rollback"), rollbackAt);
    assertEquals(List.of(true, true), rollback.effects().stream().filter(e -> e instanceof DrillEffect.MoveScope)
        .map(e -> ((DrillEffect.MoveScope) e).force()).toList(), "returns are forced");
    drill = run(drill, approve("rollback"), moved(SCOPE, "chat-canary", "chat-v1"));
    assertEquals(rollbackAt, drill.rollback().atMs());
    assertEquals("go rollback", drill.rollback().reason());

    DrillEffect.CheckDrain drain = (DrillEffect.CheckDrain) machine.decide(drill, new Approve("drain_check",
        "alice", "drain", true), clock.millis()).effects().get(0);
    assertTrue(drain.spec().cancelInFlight());
    assertEquals(Set.of("chat-canary", "chat-internal-v1"), drain.spec().fallbackVersions());
    assertEquals((rollbackAt + 200) / 1_000 * 1_000 + 1_000, drain.spec().settledFromMs());
    drill = run(drill, approve("drain_check"), checks(false));
    assertEquals(DrillStatus.BLOCKED, drill.status());
    assertEquals(DrillStep.DRAIN_CHECK, drill.nextStep(), "a blocked drain check is retried, never skipped");
    drill = run(drill, approve("drain_check"), checks(true));
    assertEquals(DrillStep.REENABLE, drill.nextStep());

    Drill unclean = run(drill, approve("reenable"), checks(false));
    assertEquals(DrillStatus.BLOCKED, unclean.status());
    assertTrue(unclean.blockedReason().startsWith("rollback not clean, not re-enabled"));

    Decision reenable = machine.decide(unclean, approve("reenable"), clock.millis());
    assertTrue(reenable.effects().get(0) instanceof DrillEffect.CheckClean);
    assertEquals("chat-canary", ((DrillEffect.MoveScope) reenable.effects().get(1)).version());
    StepResult clean = new StepResult(null, moved(SCOPE, "chat-v1", "chat-canary").moves(), null, checks(true)
        .cleanChecks(), new JsonObject());
    Decision finished = machine.decide(reenable.state(), new StepFinished(approve("reenable"), clean), clock.millis());
    Drill done = finished.state();
    assertEquals(DrillStep.COMPLETE, done.step());
    assertEquals(DrillStatus.COMPLETE, done.status());
    assertNull(done.nextStep());
    assertNull(done.toJson().getString("next_step"));
    assertTrue(finished.effects().contains(new DrillEffect.RefreshAutoFallback()));
    assertEquals(List.of("prepared", "probes", "internal", "canary", "rollback", "drain_check", "drain_check",
        "reenable", "reenable"), done.approvals().stream().map(a -> a.step().wireName()).toList());
    assertEquals(8, done.phases().size());
    assertEquals("drill_ended", refused(() -> machine.decide(done, approve("reenable"), clock.millis())).code());
  }

  @Test
  void anAbort_duringTheCanary_returnsTraffic_andEndsTheDrill() {
    Drill drill = start("chat-canary", null);
    drill = run(drill, approve("probes"), new StepResult(List.of(), List.of(), null, null, new JsonObject()));
    drill = run(drill, approve("internal"), StepResult.empty(new JsonObject()));
    drill = run(drill, approve("canary"), moved(SCOPE, "chat-v1", "chat-canary"));

    assertEquals("reason", refused(() -> machine.decide(start("chat-canary", null), new Abort("bob", null), 0))
        .field());
    Decision abort = machine.decide(drill, new Abort("bob", "pager"), clock.millis());
    DrillEffect.MoveScope back = (DrillEffect.MoveScope) abort.effects().get(0);
    assertEquals("chat-v1", back.version());
    assertTrue(back.force());
    Drill aborted = run(drill, new Abort("bob", "pager"), moved(SCOPE, "chat-canary", "chat-v1"));

    assertEquals(DrillStep.ABORTED, aborted.step());
    assertEquals(DrillStep.CANARY, aborted.abort().during());
    assertEquals("abort", aborted.rollback().decision());
    assertNull(aborted.nextStep());
    assertEquals("drill_ended", refused(() -> machine.decide(aborted, new Abort("bob", "again"), 0)).code());
  }

  @Test
  void aGatesAbort_leavesTrafficWhereTheGatePutIt() {
    Drill drill = start("chat-canary", null);
    drill = run(drill, approve("probes"), new StepResult(List.of(), List.of(), null, null, new JsonObject()));
    drill = run(drill, approve("internal"), StepResult.empty(new JsonObject()));
    drill = run(drill, approve("canary"), moved(SCOPE, "chat-v1", "chat-canary"));

    Decision gate = machine.decide(drill, new GateAbort("gate:fallback_malformed", "gate rollback: bad"),
        clock.millis());
    assertFalse(gate.effects().stream().anyMatch(e -> e instanceof DrillEffect.MoveScope));
    Drill aborted = run(drill, new GateAbort("gate:fallback_malformed", "gate rollback: bad"),
        StepResult.empty(new JsonObject()));
    assertEquals("traffic left as the gate set it", aborted.abort().traffic());
    assertEquals("gate:fallback_malformed", aborted.abort().by());
  }

  @Test
  void theJsonMapping_readsBackTheSameDrill() {
    Drill drill = start("chat-canary", "chat-internal-v1");
    drill = run(drill, approve("probes"), new StepResult(List.of(new ProbeRun("chat-canary", false, "run-2", "t",
        "n", null, List.of(new ProbeRun.Failure("basic", "cometapi", "fallback", "timeout", null)))), List.of(), null,
        null, new JsonObject().put("chat-v1|primary|primary", new JsonObject().put("n", 3))));
    Drill claimed = machine.decide(drill, approve("probes"), clock.millis()).state();

    assertEquals(drill, Drill.fromJson(drill.toJson()));
    assertEquals(claimed, Drill.fromJson(claimed.toJson()));
    assertEquals("probes", claimed.toJson().getString("next_step"), "a running retry of a blocked step");
  }

  @Test
  void aScopeWithoutAVersionToReturnTo_isRefusedAtStart_namingTheCohortField() {
    CommandRefusal noScope = refused(() -> DrillStart.decide(new DrillStart.Start("alice", "drill", "production",
        "acme", "chat", "chat-canary", null, null), map, map.active(), List.of(), "d", 0, s -> null));
    assertEquals("tenant_or_cohort", noScope.field());
    CommandRefusal noCohort = refused(() -> DrillStart.decide(new DrillStart.Start("alice", "drill", "production",
        null, "chat", "chat-canary", "chat-internal-v1", "beta"), map, map.active(), List.of(), "d", 0, s -> null));
    assertEquals("internal_cohort", noCohort.field());
  }

  @Test
  void everyStepBeforeTheEnd_saysWhatItsApprovalWillDo() {
    Drill drill = start("chat-canary", "chat-internal-v1");
    assertTrue(NextStepChecks.of(drill).get(0).startsWith("runs the preflight probes"));
    drill = run(drill, approve("probes"), new StepResult(List.of(), List.of(), null, null, new JsonObject()));
    assertTrue(NextStepChecks.of(drill).get(0).contains("to chat-internal-v1"), NextStepChecks.of(drill).toString());
    drill = run(drill, approve("internal"), moved(INTERNAL, "chat-internal-v0", "chat-internal-v1"));
    assertTrue(NextStepChecks.of(drill).get(0).contains("from chat-v1 to chat-canary"));
    drill = run(drill, approve("canary"), moved(SCOPE, "chat-v1", "chat-canary"));
    assertTrue(NextStepChecks.of(drill).get(0).startsWith("returns production/*/chat to chat-v1")
        || NextStepChecks.of(drill).get(0).contains("to chat-v1"), NextStepChecks.of(drill).toString());
    drill = run(drill, approve("rollback"), moved(SCOPE, "chat-canary", "chat-v1"));
    List<String> drain = NextStepChecks.of(drill);
    assertEquals(3, drain.size());
    assertTrue(drain.get(0).contains("cancel_in_flight"), drain.toString());
    drill = run(drill, approve("drain_check"), checks(true));
    List<String> reenable = NextStepChecks.of(drill);
    assertTrue(reenable.get(reenable.size() - 1).contains("to chat-canary again"), reenable.toString());
    assertTrue(reenable.stream().anyMatch(c -> c.contains("baseline (0.025)")), reenable.toString());
  }
}
