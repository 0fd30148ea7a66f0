package io.turnout.dataplane.chat;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.turnout.routes.RetryPolicy;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.routes.RouteRole;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import io.turnout.dataplane.routing.FallbackSkip;

/**
 * The decision core of one request's attempts (runbook section 4): given its plan, what failed so
 * far, the deadline and the breakers, it says what happens next (an attempt, a retry after a
 * delay, a move to the next planned route, or the end), and {@link AttemptChain} carries that out.
 * Retry and fallback stay apart: a retry sends the same route another attempt, only for a class of
 * the route's {@code retry_on}, within the retry policy and the node's retry budget; a move goes to
 * the next planned route, only for a class of {@code fallback_on}, never once a streamed byte
 * reached the client, and to a fallback route only when nothing withholds it (manual only, data
 * policy, a gate's stop). No attempt starts after the deadline. A provider whose breaker is open is
 * never sent an attempt: the request moves on at once, or ends.
 *
 * <p>Does no I/O and reads no clock or random source but the injected ones, so every path can be
 * tested with stepped time. One instance per request, used on one event loop.
 */
final class AttemptPolicy {

  /**
   * A plan and what withholds its fallback route.
   *
   * @param withheld why this request may not move to a fallback route by itself (or why the plan
   *     has none: the data policy or a gate's stop took it out), or null when it may
   */
  record Plan(RoutePlan route, FallbackSkip withheld) {}

  private final long deadlineNanos;
  private final int timeoutMs;
  private final Predicate<String> breakerOpen;
  private final BooleanSupplier retryToken;
  private final LongSupplier nanoClock;
  private final RandomGenerator random;
  private Plan plan;
  private int index;
  private int retries;
  private boolean retryPending;
  private String movedBecause;
  private boolean streamStarted;
  private ProviderFailure lastFailure;

  /**
   * @param breakerOpen whether a provider's breaker is open now
   * @param retryToken takes one token from the node's retry budget, false when it is empty
   * @param nanoClock a monotonic clock in nanoseconds; the deadline starts now
   * @param random the jitter of retry delays
   */
  AttemptPolicy(Plan plan, Predicate<String> breakerOpen, BooleanSupplier retryToken, LongSupplier nanoClock,
      RandomGenerator random) {
    this.plan = plan;
    this.timeoutMs = plan.route().timeoutMs();
    this.breakerOpen = breakerOpen;
    this.retryToken = retryToken;
    this.nanoClock = nanoClock;
    this.random = random;
    this.deadlineNanos = nanoClock.getAsLong() + timeoutMs * 1_000_000L;
  }

  /** The next step when nothing is in flight: the first attempt, or the one after a retry delay or a move. */
  AttemptStep next() {
    while (true) {
      long remainingMs = remainingMillis();
      if (remainingMs <= 0) {
        ProviderFailure timeout = ProviderFailure.of(ErrorClass.TIMEOUT, "route deadline of " + timeoutMs
            + " ms passed");
        return new AttemptStep.GiveUp(timeout, movedBecause != null ? FallbackSkip.DEADLINE : null, null);
      }
      PlannedAttempt target = current();
      if (!breakerOpen.test(target.provider())) {
        AttemptStep.Attempt attempt = new AttemptStep.Attempt(target, retryPending, remainingMs, movedBecause);
        retryPending = false;
        movedBecause = null;
        return attempt;
      }
      // An open breaker turns the attempt away before it starts: not an upstream attempt.
      FallbackSkip blocked = hasNext() ? blockedMove() : noNextRoute();
      if (hasNext() && blocked == null) {
        moveOn("breaker_open");
        continue;
      }
      boolean reachedByMove = movedBecause != null;
      retryPending = false;
      movedBecause = null;
      FallbackSkip skipped = reachedByMove ? FallbackSkip.BREAKER_OPEN : blocked;
      return lastFailure == null
          ? new AttemptStep.GiveUp(ProviderBreakers.circuitOpen(target.provider()), skipped, target)
          : new AttemptStep.GiveUp(lastFailure, skipped, null);
    }
  }

  /** The step after the attempt {@link #next()} asked for failed (or its breaker turned it away). */
  AttemptStep onFailure(ProviderFailure failure) {
    lastFailure = failure;
    if (failure.is(FailureCode.ROUTE_DRAINED) && !streamStarted) {
      // Not a retry and not a fallback: the request starts over on the version in force.
      return new AttemptStep.StartOver();
    }
    if (failure.errorClass() == ErrorClass.CLIENT_CANCELLED) {
      return new AttemptStep.GiveUp(failure, null, null);
    }
    RetryPolicy policy = plan.route().retryPolicy();
    if (retryable(policy, failure) && policy.hasRetriesLeft(retries)) {
      long delay = policy.delayMillis(retries, failure.retryAfterMillis(), random);
      // The deadline is checked before the budget: a retry that cannot happen must not spend a token.
      if (delay < remainingMillis() && retryToken.getAsBoolean()) {
        retries++;
        retryPending = true;
        return new AttemptStep.Retry(delay);
      }
    }
    if (!plan.route().fallbackOn().contains(failure.errorClass())) {
      return new AttemptStep.GiveUp(failure, null, null);
    }
    return tryMove(failure.is(FailureCode.CIRCUIT_OPEN) ? "breaker_open" : failure.errorClass().wireName(), failure);
  }

  /**
   * The step after an answer failed the alias's acceptance checks ({@code treat_as_failure}): a move
   * to the next route whatever {@code fallback_on} says (another provider may pass), else the end.
   */
  AttemptStep onRejectedAnswer(ProviderFailure failure) {
    lastFailure = failure;
    return tryMove("acceptance_failed", failure);
  }

  /** A chunk of the answer reached the client: from now on no retry and no move. */
  void streamStarted() {
    streamStarted = true;
  }

  /** The request was planned again on the version its scope moved to: its attempts start from the top. */
  void restart(Plan fresh) {
    plan = fresh;
    index = 0;
    retries = 0;
  }

  /** The plan in force. */
  RoutePlan route() {
    return plan.route();
  }

  /** The last failure seen, or null. */
  ProviderFailure lastFailure() {
    return lastFailure;
  }

  /** Whether the attempt about to run (or running) ran because an earlier planned route failed or was skipped. */
  boolean onLaterRoute() {
    return index > 0;
  }

  private AttemptStep tryMove(String reason, ProviderFailure failure) {
    FallbackSkip blocked = hasNext() ? blockedMove() : noNextRoute();
    if (!hasNext() || blocked != null) {
      return new AttemptStep.GiveUp(failure, blocked, null);
    }
    moveOn(reason);
    return new AttemptStep.FallBack(reason);
  }

  private boolean hasNext() {
    return index + 1 < plan.route().attempts().size();
  }

  /** Why the request may not move to its next planned route (there is one), or null when it may. */
  private FallbackSkip blockedMove() {
    if (streamStarted) {
      return FallbackSkip.STREAM_STARTED;
    }
    if (plan.route().attempts().get(index + 1).role() == RouteRole.FALLBACK) {
      return plan.withheld();
    }
    return null;
  }

  /**
   * What to say when there is no next route: the data policy or a gate's stop took the fallback out
   * of the plan, or nothing (none was planned; manual only withholds a fallback that is in the plan).
   */
  private FallbackSkip noNextRoute() {
    return plan.withheld() == FallbackSkip.MANUAL_ONLY ? null : plan.withheld();
  }

  private void moveOn(String reason) {
    index++;
    retries = 0;
    retryPending = false;
    if (movedBecause == null) {
      movedBecause = reason;
    }
  }

  private PlannedAttempt current() {
    return plan.route().attempts().get(index);
  }

  private long remainingMillis() {
    return (deadlineNanos - nanoClock.getAsLong()) / 1_000_000;
  }

  private boolean retryable(RetryPolicy policy, ProviderFailure failure) {
    // A 429 for an exhausted quota is a billing state, not congestion; an open breaker stays open.
    return !failure.is(FailureCode.INSUFFICIENT_QUOTA) && !failure.is(FailureCode.CIRCUIT_OPEN)
        && policy.shouldRetry(failure.errorClass(), failure.retryAfterMillis(), streamStarted);
  }
}
