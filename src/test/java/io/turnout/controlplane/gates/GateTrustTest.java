package io.turnout.controlplane.gates;

import static io.turnout.controlplane.gates.GateFixture.T0;
import static io.turnout.controlplane.gates.GateFixture.cluster;
import static io.turnout.controlplane.gates.GateFixture.key;
import static io.turnout.controlplane.gates.GateFixture.on;
import static io.turnout.controlplane.gates.GateFixture.record;
import static io.turnout.controlplane.gates.GateFixture.windows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.ScopeControl;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.signals.PriceTable;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.signals.SignalWindows;

/**
 * Gates an operator can trust (issue: gates and drills): sustained conditions, rollbacks that
 * always land, pauses that end, a sick-target check that sees breakers and other scopes, and
 * members that notice they disagree. Pure: stepped time, no Vert.x.
 */
class GateTrustTest {

  private static final long NOW = T0 + 60_000;
  private final SignalWindows member = windows();

  @Nested
  class SustainedConditions {

    private final GateRule sustained = new GateRule("fallback_5xx_sustained", GateSignal.UPSTREAM_5XX_RATE,
        "fallback", null, 0.02, 300_000, 20, GateAction.STOP_EXPANSION, 0.5, 0.01, false, List.of(), 30_000, 3, 0);

    @Test
    void aBreachActsOnlyOnceItHeldForItsDurationAndItsEvaluationsInARow() {
      GateEvaluator evaluator = new GateEvaluator(List.of(sustained));
      record(member, key("canary", 0, "cometapi", "fallback"), 100, 10, ErrorClass.UPSTREAM_5XX, NOW);
      RouteSnapshot snapshot = on("canary", 7, ScopeControl.NONE);

      // breaching at 0 s, 10 s, 20 s: held 20 s of 30, not yet acted on
      for (long t = 0; t <= 20_000; t += 10_000) {
        GateEvaluator.Evaluation e = evaluator.evaluate(snapshot, cluster(NOW + t, member), NOW + t);
        Verdict v = e.verdicts().get(0);
        assertEquals(Verdict.State.BREACH, v.state());
        assertFalse(v.actionable(), v.describe());
        assertTrue(e.decisions().isEmpty(), e.decisions().toString());
      }
      // at 30 s the breach has held long enough, over 4 evaluations: it acts
      GateEvaluator.Evaluation e = evaluator.evaluate(snapshot, cluster(NOW + 30_000, member), NOW + 30_000);
      assertTrue(e.verdicts().get(0).actionable());
      assertEquals(GateDecision.Kind.FREEZE, e.decisions().get(0).kind());
    }

    @Test
    void aPassInBetweenStartsTheClockAgain() {
      GateEvaluator evaluator = new GateEvaluator(List.of(sustained));
      SignalWindows bad = windows();
      record(bad, key("canary", 0, "cometapi", "fallback"), 100, 10, ErrorClass.UPSTREAM_5XX, NOW);
      SignalWindows good = windows();
      record(good, key("canary", 0, "cometapi", "fallback"), 100, 0, null, NOW);
      RouteSnapshot snapshot = on("canary", 7, ScopeControl.NONE);

      evaluator.evaluate(snapshot, cluster(NOW, bad), NOW);
      evaluator.evaluate(snapshot, cluster(NOW + 10_000, bad), NOW + 10_000);
      evaluator.evaluate(snapshot, cluster(NOW + 20_000, good), NOW + 20_000);
      GateEvaluator.Evaluation e = evaluator.evaluate(snapshot, cluster(NOW + 40_000, bad), NOW + 40_000);

      assertFalse(e.verdicts().get(0).actionable(), "the breach restarted at 40 s");
      assertTrue(e.decisions().isEmpty());
    }

    @Test
    void anInconclusiveVerdictPastItsLimitCountsAsAFailure() {
      GateRule rule = new GateRule("fallback_5xx_needs_data", GateSignal.UPSTREAM_5XX_RATE, "fallback", null, 0.02,
          300_000, 20, GateAction.STOP_EXPANSION, 0.5, 0.01, false, List.of(), 0, 1, 60_000);
      GateEvaluator evaluator = new GateEvaluator(List.of(rule));
      record(member, key("canary", 0, "cometapi", "fallback"), 3, 0, null, NOW);
      RouteSnapshot snapshot = on("canary", 7, ScopeControl.NONE);

      GateEvaluator.Evaluation first = evaluator.evaluate(snapshot, cluster(NOW, member), NOW);
      assertEquals(Verdict.State.INCONCLUSIVE, first.verdicts().get(0).state());
      assertTrue(first.decisions().isEmpty());

      GateEvaluator.Evaluation later = evaluator.evaluate(snapshot, cluster(NOW + 60_000, member), NOW + 60_000);
      assertEquals(Verdict.State.INCONCLUSIVE, later.verdicts().get(0).state());
      assertTrue(later.verdicts().get(0).actionable());
      assertTrue(later.decisions().get(0).reason().contains("counted as a failure"), later.decisions().toString());
    }

    @Test
    void theDefaultsActAtOnce_asDocumented() {
      GateRule shipped = GateOptions.runbookDefaults().get(0);
      assertFalse(shipped.sustained());
      record(member, key("canary", 0, "cometapi", "fallback"), 100, 10, ErrorClass.UPSTREAM_5XX, NOW);
      GateEvaluator.Evaluation e = new GateEvaluator(List.of(shipped)).evaluate(on("canary", 7, ScopeControl.NONE),
          cluster(NOW, member), NOW);
      assertEquals(1, e.decisions().size());
    }
  }

  @Nested
  class RollbacksThatLand {

    private static final String CHAIN = """
        aliases:
          support: {provider_models: {primary: gpt-primary, cometapi: gpt-comet}, rollback_target: v0}
        routes:
          - {route_version: v0, environment: production, tenant_or_cohort: "*", model_alias: support,
             mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: v0, owner: t}
          - {route_version: v1, environment: production, tenant_or_cohort: "*", model_alias: support,
             mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: v0, owner: t,
             expires_at: "2026-05-01T00:00:00Z"}
          - {route_version: fb, environment: production, tenant_or_cohort: "*", model_alias: support,
             mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
             rollback_route_version: v1, owner: t}
        active:
          - {environment: production, tenant_or_cohort: "*", model_alias: support, route_version: fb}
        """;

    @Test
    void anExpiredRollbackTarget_isWalkedPastToTheVersionItRollsBackTo() {
      RouteMap map = RouteMap.parse("routes.yaml", CHAIN, Set.of("primary", "cometapi"), Instant.ofEpochMilli(T0));
      RouteSnapshot snapshot = new RouteSnapshot(map, new ActivePointers(3, Map.of(GateFixture.SCOPE, "fb"),
          Map.of()), "routes.yaml", Instant.ofEpochMilli(T0));
      record(member, key("fb", 0, "cometapi", "fallback"), 1, 1, ErrorClass.MALFORMED_RESPONSE, NOW);

      GateDecision d = new GateEvaluator(GateOptions.runbookDefaults()).evaluate(snapshot, cluster(NOW, member), NOW)
          .decisions().get(0);

      assertEquals(GateDecision.Kind.ROLLBACK, d.kind());
      assertEquals("v0", d.rollbackTo());
      assertTrue(d.reason().contains("v1 has expired"), d.reason());
    }

    @Test
    void aChainThatEndsExpired_pausesTheScopeOnce() {
      // v0, the baseline at the chain's end, has expired as well
      RouteMap map = RouteMap.parse("routes.yaml", CHAIN.replace(
          "rollback_route_version: v0, owner: t}\n  - {route_version: v1",
          "rollback_route_version: v0, owner: t, expires_at: \"2026-05-01T00:00:00Z\"}\n  - {route_version: v1"),
          Set.of("primary", "cometapi"), Instant.ofEpochMilli(T0));
      RouteSnapshot snapshot = new RouteSnapshot(map, new ActivePointers(3, Map.of(GateFixture.SCOPE, "fb"),
          Map.of()), "routes.yaml", Instant.ofEpochMilli(T0));
      record(member, key("fb", 0, "cometapi", "fallback"), 1, 1, ErrorClass.MALFORMED_RESPONSE, NOW);
      GateEvaluator evaluator = new GateEvaluator(GateOptions.runbookDefaults());

      GateDecision d = evaluator.evaluate(snapshot, cluster(NOW, member), NOW).decisions().get(0);
      assertEquals(GateDecision.Kind.PAUSE, d.kind());
      assertTrue(d.reason().contains("no rollback target can serve"), d.reason());

      // once paused, the next evaluations decide nothing more (no decision, no log line per tick)
      RouteSnapshot paused = new RouteSnapshot(map, new ActivePointers(4, Map.of(GateFixture.SCOPE, "fb"),
          Map.of(GateFixture.SCOPE, d.control())), "routes.yaml", Instant.ofEpochMilli(T0));
      assertTrue(evaluator.evaluate(paused, cluster(NOW + 1_000, member), NOW + 1_000).decisions().isEmpty());
    }
  }

  @Nested
  class PausesThatEnd {

    @Test
    void aPauseForASickTarget_completesTheRollbackOnceTheTargetIsHealthy() {
      GateEvaluator evaluator = new GateEvaluator(GateOptions.runbookDefaults());
      SignalWindows sick = windows();
      record(sick, key("canary", 0, "cometapi", "fallback"), 5, 1, ErrorClass.MALFORMED_RESPONSE, NOW);
      record(sick, key("canary", 0, "primary", "primary"), 40, 30, ErrorClass.UPSTREAM_5XX, NOW);
      GateDecision pause = evaluator.evaluate(on("canary", 7, ScopeControl.NONE), cluster(NOW, sick), NOW)
          .decisions().get(0);
      assertEquals(GateDecision.Kind.PAUSE, pause.kind());

      // while the target is still failing, the paused scope stays paused
      RouteSnapshot paused = on("canary", 8, pause.control());
      assertTrue(evaluator.evaluate(paused, cluster(NOW + 1_000, sick), NOW + 1_000).decisions().isEmpty());

      // once the target's failures have left the window, the rollback is made, saying why
      long later = NOW + 301_000;
      SignalWindows healthy = windows();
      record(healthy, key("canary", 0, "primary", "primary"), 40, 0, null, later);
      GateDecision resumed = evaluator.evaluate(paused, cluster(later, healthy), later).decisions().get(0);
      assertEquals(GateDecision.Kind.ROLLBACK, resumed.kind());
      assertEquals("v1", resumed.rollbackTo());
      assertTrue(resumed.reason().contains("pause ended"), resumed.reason());
    }

    @Test
    void aPauseDoesNotEndOnSilence_onlyOnTheTargetsPassingSamples() {
      GateEvaluator evaluator = new GateEvaluator(GateOptions.runbookDefaults());
      SignalWindows sick = windows();
      record(sick, key("canary", 0, "cometapi", "fallback"), 5, 1, ErrorClass.MALFORMED_RESPONSE, NOW);
      record(sick, key("canary", 0, "primary", "primary"), 40, 30, ErrorClass.UPSTREAM_5XX, NOW);
      GateDecision pause = evaluator.evaluate(on("canary", 7, ScopeControl.NONE), cluster(NOW, sick), NOW)
          .decisions().get(0);

      // a member whose view holds nothing of the target (its counts aged out, or were never shared)
      long later = NOW + 301_000;
      assertTrue(evaluator.evaluate(on("canary", 8, pause.control()), cluster(later, windows()), later).decisions()
          .isEmpty(), "no samples: not known healthy, the pause stays");
    }

    @Test
    void anOperatorsPauseDoesNotEndByItself() {
      ScopeControl operators = new ScopeControl(0, null, true, "rollback target v1 is failing too: says alice",
          "operator:alice");
      assertTrue(new GateEvaluator(GateOptions.runbookDefaults()).evaluate(on("canary", 7, operators),
          cluster(NOW, member), NOW).decisions().isEmpty());
    }
  }

  @Nested
  class SickTargets {

    @Test
    void aTargetWhoseProvidersBreakerIsOpenAnywhere_isSick() {
      record(member, key("canary", 0, "cometapi", "fallback"), 5, 1, ErrorClass.MALFORMED_RESPONSE, NOW);
      JsonObject export = member.export(NOW).put("open_breakers", new io.vertx.core.json.JsonArray().add("primary"));
      ClusterSignals signals = ClusterSignals.merge(1_000, List.of(export));

      GateDecision d = new GateEvaluator(GateOptions.runbookDefaults()).evaluate(on("canary", 7, ScopeControl.NONE),
          signals, NOW).decisions().get(0);

      assertEquals(GateDecision.Kind.PAUSE, d.kind());
      assertTrue(d.reason().contains("circuit breaker is open"), d.reason());
    }

    @Test
    void aTargetFailingInOtherScopes_isSickHereToo() {
      record(member, key("canary", 0, "cometapi", "fallback"), 5, 1, ErrorClass.MALFORMED_RESPONSE, NOW);
      SignalKey elsewhere = new SignalKey(new io.turnout.routes.ScopeKey("production", "acme", "other"), "x", 0,
          "primary", "primary", SignalKey.NO_COHORT);
      record(member, elsewhere, 40, 30, ErrorClass.UPSTREAM_5XX, NOW);

      GateDecision d = new GateEvaluator(GateOptions.runbookDefaults()).evaluate(on("canary", 7, ScopeControl.NONE),
          cluster(NOW, member), NOW).decisions().get(0);

      assertEquals(GateDecision.Kind.PAUSE, d.kind());
      assertTrue(d.reason().contains("across all scopes"), d.reason());
    }
  }

  @Nested
  class MembersAgree {

    @Test
    void aMemberWithOtherSettings_isNamed_andOneWithTheSameIsNot() {
      GateSettings mine = new GateSettings(GateOptions.defaults());
      GateSettings theirs = new GateSettings(new GateOptions(true, 1_000, 5_000, GateOptions.runbookDefaults(),
          PriceTable.NONE));
      JsonObject same = member.export(NOW).put("node", "b").put("settings", mine.fingerprint());
      JsonObject other = windows().export(NOW).put("node", "c").put("settings", theirs.fingerprint());

      ClusterSignals signals = ClusterSignals.merge(10_000, mine.fingerprint(), List.of(same, other));

      assertEquals(1, signals.disagreeing().size());
      assertEquals("c", signals.disagreeing().get(0).getString("node"));
      assertEquals(5_000L, signals.disagreeing().get(0).getLong("bucket_ms"));
      assertEquals(1, mine.observe(signals.disagreeing()));
      assertEquals(1, mine.disagreeing().size());
    }

    @Test
    void differentRules_withTheSameBucketWidth_areADisagreementToo() {
      GateSettings mine = new GateSettings(GateOptions.defaults());
      List<GateRule> tuned = new java.util.ArrayList<>(GateOptions.runbookDefaults());
      tuned.remove(0);
      GateSettings theirs = new GateSettings(new GateOptions(true, 1_000, 10_000, tuned, PriceTable.NONE));

      assertFalse(mine.fingerprint().equals(theirs.fingerprint()));
      assertEquals(mine.fingerprint().getLong("bucket_ms"), theirs.fingerprint().getLong("bucket_ms"));
    }
  }
}
