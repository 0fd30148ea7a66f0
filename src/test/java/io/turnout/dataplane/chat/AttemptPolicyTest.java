package io.turnout.dataplane.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.routes.EnabledFeatures;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.turnout.routes.RetryPolicy;
import io.turnout.routes.RouteMode;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.routes.RouteRole;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.routing.FallbackSkip;

/** {@link AttemptPolicy} with stepped time, a fixed jitter source and breakers and budget set by the test. */
class AttemptPolicyTest {

  private static final long MS = 1_000_000L;
  private static final ScopeKey SCOPE = new ScopeKey("production", "*", "chat");
  private static final PlannedAttempt PRIMARY = new PlannedAttempt("primary", "gpt-x", RouteRole.PRIMARY, false);
  private static final PlannedAttempt FALLBACK = new PlannedAttempt("cometapi", "gpt-y", RouteRole.FALLBACK, false);
  private static final PlannedAttempt CANARY = new PlannedAttempt("cometapi", "gpt-y", RouteRole.FALLBACK, true);

  private final AtomicLong nanos = new AtomicLong(5_000 * MS);
  private final Set<String> open = new HashSet<>();
  private final AtomicInteger tokens = new AtomicInteger(100);
  private final AtomicInteger tokensTaken = new AtomicInteger();
  /** Jitter at its lowest: delays are exactly the backoff. */
  private final RandomGenerator noJitter = () -> 0L;

  @Test
  void theFirstStepIsThePrimaryWithTheWholeDeadline() {
    AttemptStep.Attempt first = attempt(policy(plan(1_000, PRIMARY, FALLBACK), null).next());

    assertSame(PRIMARY, first.target());
    assertFalse(first.retry());
    assertEquals(1_000, first.budgetMillis());
    assertNull(first.movedBecause());
  }

  @Test
  void aRetryableFailureIsRetriedOnTheSameRouteAfterItsBackoffThenFallsBack() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();

    assertEquals(50, assertInstanceOf(AttemptStep.Retry.class, policy.onFailure(fiveHundred())).delayMillis());
    nanos.addAndGet(50 * MS);
    AttemptStep.Attempt retry = attempt(policy.next());
    assertSame(PRIMARY, retry.target());
    assertTrue(retry.retry());
    assertEquals(950, retry.budgetMillis(), "the retry gets what is left of the one deadline");

    AttemptStep.FallBack move = assertInstanceOf(AttemptStep.FallBack.class, policy.onFailure(fiveHundred()));
    assertEquals("upstream_5xx", move.reason());
    AttemptStep.Attempt fallback = attempt(policy.next());
    assertSame(FALLBACK, fallback.target());
    assertFalse(fallback.retry());
    assertEquals("upstream_5xx", fallback.movedBecause());
    assertEquals(1, tokensTaken.get());
  }

  @Test
  void theDeadlineRunningOutOnThePrimaryIsNotAFallback() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    nanos.addAndGet(1_000 * MS);

    assertInstanceOf(AttemptStep.FallBack.class, policy.onFailure(ProviderFailure.of(ErrorClass.TIMEOUT, "budget")));
    AttemptStep.GiveUp end = giveUp(policy.next());

    assertEquals(ErrorClass.TIMEOUT, end.failure().errorClass());
    assertEquals("route deadline of 1000 ms passed", end.failure().getMessage());
    assertEquals(FallbackSkip.DEADLINE, end.skipped());
    assertEquals(0, tokensTaken.get(), "a retry that cannot happen in time spends no token");
  }

  @Test
  void aRetryDelayLongerThanWhatIsLeftIsNotWaitedFor() {
    AttemptPolicy policy = policy(plan(100, PRIMARY, FALLBACK), null);
    policy.next();
    nanos.addAndGet(60 * MS);

    ProviderFailure limited = new ProviderFailure(ErrorClass.RATE_LIMITED, "slow down", 429, 50, null, null, null);
    assertEquals("rate_limited", assertInstanceOf(AttemptStep.FallBack.class, policy.onFailure(limited)).reason());
    assertEquals(0, tokensTaken.get());
  }

  @Test
  void anOpenBreakerOnThePrimarySendsTheRequestStraightToTheFallbackWithoutAnAttempt() {
    open.add("primary");
    AttemptStep.Attempt first = attempt(policy(plan(1_000, PRIMARY, FALLBACK), null).next());

    assertSame(FALLBACK, first.target());
    assertEquals("breaker_open", first.movedBecause());
  }

  @Test
  void anOpenBreakerWithoutANextRouteEndsWithCircuitOpenNamingTheProvider() {
    open.add("primary");
    AttemptStep.GiveUp end = giveUp(policy(plan(1_000, PRIMARY), null).next());

    assertTrue(end.failure().is(FailureCode.CIRCUIT_OPEN));
    assertSame(PRIMARY, end.target(), "no attempt was made: the route it ended on is named by the step");
    assertNull(end.skipped());
  }

  @Test
  void aFallbackWhoseBreakerIsOpenIsSkippedAndThePrimarysFailureStands() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    tokens.set(0);
    policy.next();
    ProviderFailure failure = fiveHundred();
    policy.onFailure(failure);
    open.add("cometapi");

    AttemptStep.GiveUp end = giveUp(policy.next());

    assertSame(failure, end.failure());
    assertEquals(FallbackSkip.BREAKER_OPEN, end.skipped());
    assertNull(end.target());
  }

  @Test
  void anEmptyRetryBudgetMeansNoRetryButTheFallbackStillRuns() {
    tokens.set(0);
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();

    assertInstanceOf(AttemptStep.FallBack.class, policy.onFailure(fiveHundred()));
    assertSame(FALLBACK, attempt(policy.next()).target());
  }

  @Test
  void aManualOnlyVersionDoesNotFailOverAndSaysSo() {
    tokens.set(0);
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), FallbackSkip.MANUAL_ONLY);
    policy.next();
    ProviderFailure failure = fiveHundred();

    AttemptStep.GiveUp end = giveUp(policy.onFailure(failure));

    assertSame(failure, end.failure());
    assertEquals(FallbackSkip.MANUAL_ONLY, end.skipped());
  }

  @Test
  void aManualOnlyVersionStillMovesBackFromItsCanaryToThePrimary() {
    tokens.set(0);
    AttemptPolicy policy = policy(plan(1_000, CANARY, PRIMARY), FallbackSkip.MANUAL_ONLY);
    assertSame(CANARY, attempt(policy.next()).target());

    assertInstanceOf(AttemptStep.FallBack.class, policy.onFailure(fiveHundred()));
    assertSame(PRIMARY, attempt(policy.next()).target());
  }

  @Test
  void aFallbackDroppedByTheDataPolicyIsNamedWhenItWasNeeded() {
    tokens.set(0);
    AttemptPolicy policy = policy(plan(1_000, PRIMARY), FallbackSkip.DATA_POLICY);
    policy.next();

    assertEquals(FallbackSkip.DATA_POLICY, giveUp(policy.onFailure(fiveHundred())).skipped());
  }

  @Test
  void aStoppedScopeNeverReachesItsFallback() {
    tokens.set(0);
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), FallbackSkip.STOPPED);
    policy.next();

    assertEquals(FallbackSkip.STOPPED, giveUp(policy.onFailure(fiveHundred())).skipped());
    open.add("primary");
    AttemptPolicy broken = policy(plan(1_000, PRIMARY, FALLBACK), FallbackSkip.STOPPED);
    AttemptStep.GiveUp end = giveUp(broken.next());
    assertTrue(end.failure().is(FailureCode.CIRCUIT_OPEN), "not even an open primary breaker moves it");
    assertEquals(FallbackSkip.STOPPED, end.skipped());
    AttemptPolicy stripped = policy(plan(1_000, PRIMARY), FallbackSkip.STOPPED);
    open.clear();
    stripped.next();
    assertEquals(FallbackSkip.STOPPED, giveUp(stripped.onFailure(fiveHundred())).skipped(),
        "a stop that took the fallback out of the plan is named too");
  }

  @Test
  void aClassOutsideFallbackOnEndsTheRequestWithoutRetryOrSkip() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    ProviderFailure bad = new ProviderFailure(ErrorClass.VALIDATION, "bad", 400, -1, null, "messages", "invalid");

    AttemptStep.GiveUp end = giveUp(policy.onFailure(bad));

    assertSame(bad, end.failure());
    assertNull(end.skipped());
    assertEquals(0, tokensTaken.get());
  }

  @Test
  void anExhaustedQuotaIsNotRetriedButFallsBack() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    ProviderFailure quota = new ProviderFailure(ErrorClass.RATE_LIMITED, "quota", 429, -1, null, null,
        "insufficient_quota");

    assertInstanceOf(AttemptStep.FallBack.class, policy.onFailure(quota));
    assertEquals(0, tokensTaken.get());
  }

  @Test
  void onceAChunkReachedTheClientThereIsNoRetryAndNoFallback() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    policy.streamStarted();

    AttemptStep.GiveUp end = giveUp(policy.onFailure(ProviderFailure.of(ErrorClass.NETWORK, "cut")));

    assertEquals(FallbackSkip.STREAM_STARTED, end.skipped());
    assertEquals(0, tokensTaken.get());
  }

  @Test
  void aFailedAcceptanceCheckMovesOnEvenThoughMalformedIsNeverInFallbackOn() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    ProviderFailure rejected = ProviderFailure.ours(ErrorClass.MALFORMED_RESPONSE, "checks", 0,
        FailureCode.ACCEPTANCE_FAILED);

    assertEquals("acceptance_failed",
        assertInstanceOf(AttemptStep.FallBack.class, policy.onRejectedAnswer(rejected)).reason());
  }

  @Test
  void aDrainedAttemptStartsOverOnTheFreshPlanWithinTheSameDeadline() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    nanos.addAndGet(300 * MS);
    ProviderFailure drained = ProviderFailure.ours(ErrorClass.CLIENT_CANCELLED, "drained", 0,
        FailureCode.ROUTE_DRAINED);

    assertInstanceOf(AttemptStep.StartOver.class, policy.onFailure(drained));
    PlannedAttempt other = new PlannedAttempt("claude", "claude-x", RouteRole.PRIMARY, false);
    policy.restart(new AttemptPolicy.Plan(plan(5_000, other), null));
    AttemptStep.Attempt again = attempt(policy.next());

    assertSame(other, again.target());
    assertEquals(700, again.budgetMillis(), "the deadline is the request's, not the new plan's");
  }

  @Test
  void aCancelledCallerEndsTheRequest() {
    AttemptPolicy policy = policy(plan(1_000, PRIMARY, FALLBACK), null);
    policy.next();
    ProviderFailure gone = ProviderFailure.of(ErrorClass.CLIENT_CANCELLED, "gone");

    assertSame(gone, giveUp(policy.onFailure(gone)).failure());
  }

  private AttemptPolicy policy(RoutePlan plan, FallbackSkip withheld) {
    return new AttemptPolicy(new AttemptPolicy.Plan(plan, withheld), open::contains, () -> {
      if (tokens.get() <= 0) {
        return false;
      }
      tokens.decrementAndGet();
      tokensTaken.incrementAndGet();
      return true;
    }, nanos::get, noJitter);
  }

  private static RoutePlan plan(int timeoutMs, PlannedAttempt... attempts) {
    RouteVersion route = new RouteVersion("chat-v1", "production", "*", "chat", RouteMode.PRIMARY_WITH_FALLBACK,
        "primary", "cometapi", "gpt-x", "gpt-y", 0, EnabledFeatures.NONE, timeoutMs,
        new RetryPolicy(1, RetryPolicy.DEFAULT_RETRY_ON, 2_000, 50), RouteVersion.DEFAULT_FALLBACK_ON, "chat-v0",
        "team", null, null);
    return new RoutePlan(SCOPE, route, List.of(attempts), null, null, 1);
  }

  private static ProviderFailure fiveHundred() {
    return new ProviderFailure(ErrorClass.UPSTREAM_5XX, "boom", 500, -1, null, null, null);
  }

  private static AttemptStep.Attempt attempt(AttemptStep step) {
    return assertInstanceOf(AttemptStep.Attempt.class, step);
  }

  private static AttemptStep.GiveUp giveUp(AttemptStep step) {
    return assertInstanceOf(AttemptStep.GiveUp.class, step);
  }
}
