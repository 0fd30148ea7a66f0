package io.turnout.controlplane.gates;

import static io.turnout.controlplane.gates.GateFixture.SCOPE;
import static io.turnout.controlplane.gates.GateFixture.T0;
import static io.turnout.controlplane.gates.GateFixture.evaluate;
import static io.turnout.controlplane.gates.GateFixture.key;
import static io.turnout.controlplane.gates.GateFixture.on;
import static io.turnout.controlplane.gates.GateFixture.record;
import static io.turnout.controlplane.gates.GateFixture.rule;
import static io.turnout.controlplane.gates.GateFixture.verdict;
import static io.turnout.controlplane.gates.GateFixture.windows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import io.turnout.routes.ScopeControl;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.signals.SignalWindows;

class GateEvaluatorTest {

  private static final List<GateRule> RUNBOOK = GateOptions.runbookDefaults();
  private static final long NOW = T0 + 60_000;

  private final SignalWindows member = windows();

  @Nested
  class RunbookTable {

    @Test
    void fallbackFiveXxAboveTwoPercentStopsExpansion() {
      record(member, key("canary", 0, "cometapi", "fallback"), 100, 10, ErrorClass.UPSTREAM_5XX, NOW - 1_000);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      Verdict verdict = verdict(result, "fallback_5xx");
      assertEquals(Verdict.State.BREACH, verdict.state());
      assertEquals(0.10, verdict.value());
      assertEquals(100, verdict.samples());
      GateDecision d = single(result);
      assertEquals(GateDecision.Kind.FREEZE, d.kind());
      assertEquals(7, d.revision());
      assertTrue(d.control().frozen());
      assertNull(d.control().canaryShare());
      assertEquals("gate:fallback_5xx", d.control().heldBy());
    }

    @Test
    void fallbackFiveXxAtTwoPercentPasses() {
      record(member, key("canary", 0, "cometapi", "fallback"), 100, 2, ErrorClass.UPSTREAM_5XX, NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(Verdict.State.PASS, verdict(result, "fallback_5xx").state());
      assertTrue(result.decisions().isEmpty());
    }

    @Test
    void fallbackTimeoutsAboveOnePercentHalveTheCanaryShareAndStartAFreshEvaluation() {
      record(member, key("canary", 0, "cometapi", "fallback"), 50, 2, ErrorClass.TIMEOUT, NOW);

      GateDecision decision = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

      assertEquals(GateDecision.Kind.REDUCE, decision.kind());
      assertEquals(0.1, decision.control().canaryShare(), 1e-9);
      assertEquals(8, decision.control().epoch());
      assertTrue(decision.control().frozen());
    }

    @Test
    void reduceAtItsFloorRollsBack() {
      record(member, key("canary", 3, "cometapi", "fallback"), 50, 2, ErrorClass.TIMEOUT, NOW);
      ScopeControl atFloor = new ScopeControl(3, 0.01, true, null, "gate:fallback_timeouts");

      GateDecision decision = evaluate(RUNBOOK, on("canary", 7, atFloor), NOW, member).decisions().get(0);

      assertEquals(GateDecision.Kind.ROLLBACK, decision.kind());
      assertEquals("v1", decision.rollbackTo());
      assertTrue(decision.reason().startsWith("canary share already at its floor"), decision.reason());
    }

    @Test
    void reduceWithoutACanaryRollsBack() {
      record(member, key("v1", 0, "cometapi", "fallback"), 50, 2, ErrorClass.TIMEOUT, NOW);

      GateDecision decision = evaluate(RUNBOOK, on("v1", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

      assertEquals(GateDecision.Kind.ROLLBACK, decision.kind());
      assertEquals("v0", decision.rollbackTo());
    }

    @Test
    void oneMalformedResponseRollsBack() {
      record(member, key("canary", 0, "cometapi", "fallback"), 1, 1, ErrorClass.MALFORMED_RESPONSE, NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(Verdict.State.BREACH, verdict(result, "fallback_malformed").state());
      GateDecision d = single(result);
      assertEquals(GateDecision.Kind.ROLLBACK, d.kind());
      assertEquals("v1", d.rollbackTo());
      assertContains(d.reason(), "malformed_responses", "was 1");
    }

    @Test
    void oneAuthFailureRollsBack() {
      record(member, key("canary", 0, "cometapi", "fallback"), 30, 1, ErrorClass.AUTH, NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(Verdict.State.BREACH, verdict(result, "fallback_auth").state());
      assertEquals(GateDecision.Kind.ROLLBACK, single(result).kind());
    }

    @Test
    void usageAboveTheBudgetStopsTheTest() {
      GateFixture.answers(member, key("canary", 0, "cometapi", "fallback"), 3, Usage.provider(400_000, 300_000),
          NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      Verdict budget = verdict(result, "fallback_usage_budget");
      assertEquals(Verdict.State.BREACH, budget.state());
      assertEquals(2_100_000, budget.value());
      GateDecision d = single(result);
      assertEquals(GateDecision.Kind.STOP, d.kind());
      assertEquals(0, d.control().canaryShare());
      assertTrue(d.control().frozen());
    }

    @Test
    void anAnswerWithoutProviderUsageKeepsTheCanaryAtTestLevel() {
      GateFixture.answers(member, key("canary", 0, "cometapi", "fallback"), 1,
          new Usage(0, 0, 0, io.turnout.dataplane.provider.UsageSource.NONE), NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(Verdict.State.BREACH, verdict(result, "fallback_usage_unknown").state());
      GateDecision d = single(result);
      assertEquals(GateDecision.Kind.TEST_SHARE, d.kind());
      assertEquals(0.01, d.control().canaryShare(), 1e-9);
      assertTrue(d.control().frozen());
      assertEquals(8, d.control().epoch());
      // at test level and frozen, the same evidence changes nothing more
      assertTrue(evaluate(RUNBOOK, on("canary", 8, new ScopeControl(0, 0.01, true, null, "gate:x")), NOW, member)
          .decisions().isEmpty());
    }

    @Test
    void theMostSevereActionOfSeveralBreachesWins() {
      SignalKey fallback = key("canary", 0, "cometapi", "fallback");
      record(member, fallback, 100, 10, ErrorClass.UPSTREAM_5XX, NOW);
      record(member, fallback, 1, 1, ErrorClass.MALFORMED_RESPONSE, NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(GateDecision.Kind.ROLLBACK, single(result).kind());
    }
  }

  @Nested
  class Samples {

    @Test
    void belowTheMinimumIsInconclusiveNeverAPass() {
      record(member, key("canary", 0, "cometapi", "fallback"), 19, 19, ErrorClass.UPSTREAM_5XX, NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(Verdict.State.INCONCLUSIVE, verdict(result, "fallback_5xx").state());
      assertTrue(result.decisions().isEmpty());
    }

    @Test
    void noTrafficAtAllIsInconclusive() {
      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertFalse(result.verdicts().isEmpty());
      result.verdicts().forEach(v -> assertEquals(Verdict.State.INCONCLUSIVE, v.state(), v.describe()));
    }

    @Test
    void primaryAttemptsDoNotCountForFallbackGates() {
      record(member, key("canary", 0, "primary", "primary"), 100, 50, ErrorClass.UPSTREAM_5XX, NOW);

      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(0, verdict(result, "fallback_5xx").samples());
      assertTrue(result.decisions().isEmpty());
    }

    @Test
    void aVersionWithoutAFallbackIsNotJudgedByFallbackGates() {
      GateEvaluator.Evaluation result = evaluate(RUNBOOK, on("v0", 7, ScopeControl.NONE), NOW, member);

      assertTrue(result.verdicts().isEmpty());
    }

    @Test
    void membersCountsAddUpToOneClusterVerdict() {
      SignalWindows other = windows();
      SignalKey fallback = key("canary", 0, "cometapi", "fallback");
      record(member, fallback, 12, 1, ErrorClass.UPSTREAM_5XX, NOW);
      record(other, fallback, 12, 1, ErrorClass.UPSTREAM_5XX, NOW);

      assertEquals(Verdict.State.INCONCLUSIVE, verdict(evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member), "fallback_5xx").state());
      Verdict cluster = verdict(evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member, other),
          "fallback_5xx");
      assertEquals(Verdict.State.BREACH, cluster.state());
      assertEquals(24, cluster.samples());
    }
  }

  @Nested
  class DryRun {

    @Test
    void aDryRunGateReportsItsBreachButActsNot() {
      List<GateRule> rules = List.of(GateFixture.dryRun(
          rule("fallback_malformed", GateSignal.MALFORMED_RESPONSES, 0, 300_000, 1, GateAction.ROLLBACK)));
      record(member, key("canary", 0, "cometapi", "fallback"), 1, 1, ErrorClass.MALFORMED_RESPONSE, NOW);

      GateEvaluator.Evaluation result = evaluate(rules, on("canary", 7, ScopeControl.NONE), NOW, member);

      assertEquals(Verdict.State.BREACH, verdict(result, "fallback_malformed").state());
      assertTrue(verdict(result, "fallback_malformed").toJson().getBoolean("dry_run"));
      assertTrue(result.decisions().isEmpty());
    }
  }

  @Nested
  class Sequences {

    private final List<GateRule> rules = List.of(
        rule("fallback_5xx", GateSignal.UPSTREAM_5XX_RATE, 0.02, 10_000, 20, GateAction.STOP_EXPANSION));
    private final SignalKey fallback = key("canary", 0, "cometapi", "fallback");

    @Test
    void goodThenBad() {
      record(member, fallback, 50, 0, null, T0);
      assertEquals(Verdict.State.PASS, verdict(evaluate(rules, on("canary", 7, ScopeControl.NONE), T0, member), "fallback_5xx").state());

      record(member, fallback, 50, 20, ErrorClass.UPSTREAM_5XX, T0 + 3_000);
      GateEvaluator.Evaluation bad = evaluate(rules, on("canary", 7, ScopeControl.NONE), T0 + 3_000, member);
      assertEquals(Verdict.State.BREACH, verdict(bad, "fallback_5xx").state());
      assertEquals(0.2, verdict(bad, "fallback_5xx").value());
    }

    @Test
    void badThenGoodOnceTheBadSamplesLeaveTheWindow() {
      record(member, fallback, 50, 20, ErrorClass.UPSTREAM_5XX, T0);
      record(member, fallback, 50, 0, null, T0 + 11_000);

      GateEvaluator.Evaluation later = evaluate(rules, on("canary", 7, ScopeControl.NONE), T0 + 11_000, member);

      assertEquals(Verdict.State.PASS, verdict(later, "fallback_5xx").state());
      assertEquals(50, verdict(later, "fallback_5xx").samples());
    }

    @Test
    void aFreshEpochInheritsNothing() {
      // A canary aborted at revision 8 and retried: its earlier failures were counted under epoch 0.
      record(member, fallback, 50, 20, ErrorClass.UPSTREAM_5XX, NOW);
      ScopeControl retried = ScopeControl.fresh(9);

      GateEvaluator.Evaluation result = evaluate(rules, on("canary", 9, retried), NOW, member);

      assertEquals(Verdict.State.INCONCLUSIVE, verdict(result, "fallback_5xx").state());
      assertEquals(9, verdict(result, "fallback_5xx").epoch());
      record(member, key("canary", 9, "cometapi", "fallback"), 20, 1, ErrorClass.UPSTREAM_5XX, NOW);
      assertEquals(Verdict.State.BREACH, verdict(evaluate(rules, on("canary", 9, retried), NOW, member), "fallback_5xx").state());
    }

    @Test
    void gatesKeepJudgingAPausedScopeButDoNotAct() {
      record(member, fallback, 50, 20, ErrorClass.UPSTREAM_5XX, NOW);
      ScopeControl paused = new ScopeControl(0, null, true, "waiting for approval", "operator");

      GateEvaluator.Evaluation result = evaluate(rules, on("canary", 7, paused), NOW, member);

      assertEquals(Verdict.State.BREACH, verdict(result, "fallback_5xx").state());
      assertTrue(result.decisions().isEmpty());
    }

    @Test
    void aFrozenScopeIsNotFrozenAgain() {
      record(member, fallback, 50, 20, ErrorClass.UPSTREAM_5XX, NOW);
      ScopeControl frozen = new ScopeControl(0, null, true, null, "gate:fallback_5xx");

      assertTrue(evaluate(rules, on("canary", 7, frozen), NOW, member).decisions().isEmpty());
    }
  }

  @Nested
  class SickTarget {

    @Test
    void aRollbackOntoAFailingTargetPausesTheScopeInstead() {
      record(member, key("canary", 0, "cometapi", "fallback"), 5, 1, ErrorClass.MALFORMED_RESPONSE, NOW);
      // v1, the rollback target, serves from "primary" first: and primary fails in this scope.
      record(member, key("canary", 0, "primary", "primary"), 40, 30, ErrorClass.UPSTREAM_5XX, NOW);

      GateDecision decision = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

      assertEquals(GateDecision.Kind.PAUSE, decision.kind());
      assertTrue(decision.control().paused());
      assertTrue(decision.control().frozen());
      assertContains(decision.reason(), "rollback target v1 is failing too", "provider primary",
          "upstream_5xx_rate 0.7500");
    }

    @Test
    void aTargetWithoutSamplesIsNotKnownToBeSick() {
      record(member, key("canary", 0, "cometapi", "fallback"), 5, 1, ErrorClass.MALFORMED_RESPONSE, NOW);

      GateDecision decision = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

      assertEquals(GateDecision.Kind.ROLLBACK, decision.kind());
    }

    @Test
    void aBaselineHasNothingToRollBackToAndPauses() {
      List<GateRule> anyRole = List.of(new GateRule("any_malformed", GateSignal.MALFORMED_RESPONSES, "any", null, 0,
          300_000, 1, GateAction.ROLLBACK, 0.5, 0.01, false, List.of()));
      record(member, key("v0", 0, "primary", "primary"), 3, 1, ErrorClass.MALFORMED_RESPONSE, NOW);

      GateDecision decision = evaluate(anyRole, on("v0", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

      assertEquals(GateDecision.Kind.PAUSE, decision.kind());
      assertContains(decision.reason(), "v0 is a baseline");
    }
  }

  @Test
  void aRuleLimitedToOtherScopesIsNotEvaluatedHere() {
    GateRule elsewhere = new GateRule("staging_only", GateSignal.UPSTREAM_5XX_RATE, "fallback", null, 0.02, 300_000,
        1, GateAction.ROLLBACK, 0.5, 0.01, false, List.of("staging/*/*"));
    GateRule here = new GateRule("here", GateSignal.UPSTREAM_5XX_RATE, "fallback", null, 0.02, 300_000,
        1, GateAction.ROLLBACK, 0.5, 0.01, false, List.of("production/*/support"));

    GateEvaluator.Evaluation result = evaluate(List.of(elsewhere, here), on("canary", 7, ScopeControl.NONE), NOW,
        member);

    assertEquals(List.of("here"), result.verdicts().stream().map(v -> v.rule().name()).toList());
    assertEquals("production/*/support", SCOPE.toString());
  }

  private static GateDecision single(GateEvaluator.Evaluation result) {
    assertEquals(1, result.decisions().size(), result.decisions().toString());
    return result.decisions().get(0);
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "'" + text + "' lacks '" + part + "'");
    }
  }
}
