package io.turnout.dataplane.chat;

import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.turnout.dataplane.routing.FallbackSkip;

/** What {@link AttemptPolicy} decides a request does next; {@link AttemptChain} carries it out. */
sealed interface AttemptStep {

  /**
   * Start an upstream attempt (the provider's breaker may still turn it away: then it was not made).
   *
   * @param retry whether it repeats the previous attempt on the same route
   * @param budgetMillis what is left of the route's deadline: the attempt's own budget
   * @param movedBecause why the request moved to this route, when this is the first attempt after a
   *     move; null otherwise
   */
  record Attempt(PlannedAttempt target, boolean retry, long budgetMillis, String movedBecause) implements AttemptStep {}

  /** Wait {@code delayMillis}, then ask {@link AttemptPolicy#next()} again: a retry of the same route. */
  record Retry(long delayMillis) implements AttemptStep {}

  /** The request moves on to its next planned route ({@code reason}); ask {@link AttemptPolicy#next()}. */
  record FallBack(String reason) implements AttemptStep {}

  /** The attempt was drained (its scope moved): plan again on the version in force, then ask again. */
  record StartOver() implements AttemptStep {}

  /**
   * The request ends with {@code failure}.
   *
   * @param skipped why a move to the next route the failure called for was not made, or null
   * @param target the route the failure is about when no attempt of it was made (an open breaker), or null
   */
  record GiveUp(ProviderFailure failure, FallbackSkip skipped, PlannedAttempt target) implements AttemptStep {}
}
