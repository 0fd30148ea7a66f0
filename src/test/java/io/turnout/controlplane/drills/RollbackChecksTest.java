package io.turnout.controlplane.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.gates.ClusterSignals;
import io.turnout.dataplane.signals.PriceTable;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.signals.SignalWindows;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drain and clean-rollback checks on hand-made cluster signals, with explicit times. */
class RollbackChecksTest {

  private static final long T0 = 1_780_000_000_000L;
  private static final ScopeKey SCOPE = new ScopeKey("production", "*", "chat");
  private static final SignalKey CANARY = new SignalKey(SCOPE, "chat-canary", 3, "cometapi", "fallback", "-");
  private static final SignalKey PRIOR = new SignalKey(SCOPE, "chat-v1", 5, "primary", "primary", "-");

  private final SignalWindows member = new SignalWindows(1_000, 60_000, PriceTable.NONE);

  private RollbackChecks.Facts facts(long nowMs, Set<String> fallbackOnlyProviders, JsonObject pools) {
    ClusterSignals signals = ClusterSignals.merge(1_000, List.of(member.export(nowMs).put("pools", pools)));
    return new RollbackChecks.Facts(signals, Set.of(SCOPE), Set.of("chat-canary"), "chat-v1", T0 + 2_000, nowMs,
        fallbackOnlyProviders);
  }

  private void attempts(SignalKey key, int count, int failed, long atMs) {
    for (int i = 0; i < count; i++) {
      member.attempt(key, i < failed ? ErrorClass.UPSTREAM_5XX : null, 1_000_000, false, false, atMs);
    }
  }

  @Test
  void anAttemptStillInFlightOnTheFallbackRoute_failsTheDrain() {
    member.started(CANARY);

    List<RollbackChecks.Check> checks = RollbackChecks.drain(facts(T0 + 5_000, Set.of(), new JsonObject()));

    assertFalse(RollbackChecks.allPassed(checks));
    assertTrue(checks.get(0).detail().startsWith("waiting for 1 attempt(s) in flight on [chat-canary] across the "
        + "members, started before the rollback"), checks.get(0).detail());
  }

  @Test
  void attemptsOnTheFallbackRouteAfterTheRollbackSettled_failTheDrain_thoseBeforeDoNot() {
    attempts(CANARY, 3, 0, T0 + 500);
    assertTrue(RollbackChecks.allPassed(RollbackChecks.drain(facts(T0 + 5_000, Set.of(), new JsonObject()))));

    attempts(CANARY, 1, 0, T0 + 3_000);
    List<RollbackChecks.Check> checks = RollbackChecks.drain(facts(T0 + 5_000, Set.of(), new JsonObject()));
    assertFalse(checks.get(1).passed());
    assertTrue(checks.get(1).detail().startsWith("1 attempt(s)"), checks.get(1).detail());
  }

  @Test
  void beforeTheRollbackSettled_theDrainCannotPassYet() {
    List<RollbackChecks.Check> checks = RollbackChecks.drain(facts(T0 + 1_000, Set.of(), new JsonObject()));

    assertFalse(checks.get(1).passed());
    assertTrue(checks.get(1).detail().startsWith("too early"));
  }

  @Test
  void aPoolStillKeptForAProviderNoVersionUses_failsTheDrain() {
    List<RollbackChecks.Check> kept = RollbackChecks.drain(facts(T0 + 5_000, Set.of("cometapi"),
        new JsonObject().put("cometapi", true)));
    List<RollbackChecks.Check> released = RollbackChecks.drain(facts(T0 + 5_000, Set.of("cometapi"),
        new JsonObject().put("cometapi", false)));

    assertFalse(RollbackChecks.allPassed(kept));
    assertTrue(RollbackChecks.allPassed(released));
  }

  @Test
  void aCleanRollback_needsRequestsOnThePriorRoute_andTheErrorRateBackAtBaseline() {
    long now = T0 + 10_000;
    assertFalse(RollbackChecks.allPassed(RollbackChecks.clean(facts(now, Set.of(), new JsonObject()), 0.0, 0.01, 5)),
        "no requests on the prior route yet");

    attempts(PRIOR, 10, 1, T0 + 4_000);
    List<RollbackChecks.Check> tooManyErrors = RollbackChecks.clean(facts(now, Set.of(), new JsonObject()), 0.0, 0.01,
        5);
    assertFalse(RollbackChecks.allPassed(tooManyErrors));
    assertTrue(tooManyErrors.get(tooManyErrors.size() - 1).detail().startsWith("error rate 0.1000 over 10"));

    assertTrue(RollbackChecks.allPassed(RollbackChecks.clean(facts(now, Set.of(), new JsonObject()), 0.1, 0.01, 5)),
        "at the pre-drill baseline");
  }

  @Test
  void phasesThatShareAnEdge_countEachBucketOnce() {
    attempts(CANARY, 4, 0, T0 + 1_500);
    attempts(CANARY, 6, 0, T0 + 2_500);
    ClusterSignals signals = ClusterSignals.merge(1_000, List.of(member.export(T0 + 5_000)));

    List<JsonObject> phases = List.of(DrillEvidence.phaseCounts(signals, Set.of(SCOPE), T0, T0 + 2_200, false),
        DrillEvidence.phaseCounts(signals, Set.of(SCOPE), T0 + 2_200, T0 + 5_000, true));

    JsonObject canary = DrillEvidence.byRoute(phases).getJsonObject("chat-canary");
    assertEquals(10, canary.getLong("requests"));
    assertEquals(10, canary.getJsonObject("providers").getJsonObject("cometapi").getLong("attempts"));
  }

  @Test
  void errorClasses_addUpToTheErrorsShown_andFailedRequestsAreNamedApartFromFailedAttempts() {
    SignalKey primary = new SignalKey(SCOPE, "chat-canary", 3, "primary", "primary", "-");
    member.attempt(CANARY, ErrorClass.TIMEOUT, 1_000_000, false, false, T0 + 100);
    member.attempt(CANARY, ErrorClass.CLIENT_CANCELLED, 1_000_000, false, false, T0 + 100);
    member.attempt(primary, ErrorClass.UPSTREAM_5XX, 1_000_000, true, false, T0 + 100);
    member.attempt(primary, null, 1_000_000, true, false, T0 + 100);
    member.answer(primary, "gpt-4o-mini", new io.turnout.dataplane.provider.Usage(5, 7, 12,
        io.turnout.dataplane.provider.UsageSource.PROVIDER), T0 + 100);
    ClusterSignals signals = ClusterSignals.merge(1_000, List.of(member.export(T0 + 5_000)));

    JsonObject canary = DrillEvidence.byRoute(List.of(DrillEvidence.phaseCounts(signals, Set.of(SCOPE), T0,
        T0 + 5_000, true))).getJsonObject("chat-canary");

    assertEquals(2, canary.getLong("errors"));
    assertEquals(2, canary.getLong("attempts_failed"));
    long byClass = canary.getJsonObject("errors_by_class").stream().mapToLong(e -> ((Number) e.getValue()).longValue())
        .sum();
    assertEquals(canary.getLong("errors"), byClass, canary.encodePrettily());
    assertEquals(1, canary.getLong("attempts_cancelled_by_client"));
    assertEquals(2, canary.getLong("requests"));
    assertEquals(1, canary.getLong("requests_failed"));
    assertEquals(2, canary.getJsonObject("by_role").getJsonObject("primary").getLong("retries"));
    assertEquals(0, canary.getJsonObject("by_role").getJsonObject("fallback").getLong("retries"));
    assertEquals("cometapi", canary.getJsonObject("by_role").getJsonObject("fallback").getString("provider"));
  }

  @Test
  void anAttemptThatStartedBeforeTheRollbackAndEndedAfter_isNoNewAttempt() {
    // started at T0 + 500 (before the rollback settled at T0 + 2000), ended 3.5 s later
    member.started(CANARY);
    member.attempt(CANARY, null, 3_500_000_000L, false, false, T0 + 4_000);

    List<RollbackChecks.Check> checks = RollbackChecks.drain(facts(T0 + 5_000, Set.of(), new JsonObject()));

    assertTrue(RollbackChecks.allPassed(checks), checks.toString());
    assertTrue(checks.get(1).detail().startsWith("0 attempt(s)"), checks.get(1).detail());
  }
}
