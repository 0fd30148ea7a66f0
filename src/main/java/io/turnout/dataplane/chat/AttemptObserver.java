package io.turnout.dataplane.chat;

import io.turnout.dataplane.signals.AttemptSignals;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.observability.RequestObserver;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.StreamSummary;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.dataplane.tenancy.Caller;

/**
 * Where {@link AttemptChain} reports each upstream attempt that was made, and only those (an
 * attempt an open breaker turned away is not reported): the attempt meters and the gates' signal
 * windows today; tracing hooks belong here too.
 */
interface AttemptObserver {

  /**
   * An attempt counted under {@code key} went upstream.
   *
   * @param retry whether it repeats the previous attempt on the same route
   * @param fallback whether it runs because an earlier planned route failed or was skipped
   */
  void started(SignalKey key, boolean retry, boolean fallback);

  /**
   * The attempt failed (its signals are written at once).
   *
   * @param outcome the failure's class
   * @param retry whether it repeated the previous attempt on the same route
   * @param fallback whether it ran because an earlier planned route failed or was skipped
   */
  void finished(SignalKey key, ErrorClass outcome, long nanos, boolean retry, boolean fallback);

  /**
   * The attempt succeeded with {@code result}'s answer (a {@link Completion} or a {@link StreamSummary}):
   * metered now; its signals come back unwritten, to be written once with the answer's verdict.
   */
  AttemptSignals answered(SignalKey key, long nanos, boolean retry, boolean fallback, String providerModelId,
      io.vertx.core.AsyncResult<?> result);

  /** What an attempt of {@code planned} on {@code plan} for {@code caller} (or null) is counted under. */
  static SignalKey key(RoutePlan plan, PlannedAttempt planned, Caller caller) {
    String cohort = caller == null || caller.cohort() == null ? SignalKey.NO_COHORT : caller.cohort();
    return new SignalKey(plan.scope(), plan.routeVersion(), plan.epoch(), planned.provider(),
        planned.role().wireName(), cohort);
  }

  /** The node's observer for the attempts of {@code trace}'s request: metrics, gate signals, attempt spans. */
  static AttemptObserver of(RequestObserver observer, io.turnout.dataplane.observability.RequestTrace trace) {
    return new AttemptObserver() {
      @Override
      public void started(SignalKey key, boolean retry, boolean fallback) {
        observer.attemptStarted(key, trace, retry, fallback);
      }

      @Override
      public void finished(SignalKey key, ErrorClass outcome, long nanos, boolean retry, boolean fallback) {
        observer.attempt(key, trace, outcome, nanos, retry, fallback);
      }

      @Override
      public AttemptSignals answered(SignalKey key, long nanos, boolean retry, boolean fallback,
          String providerModelId, io.vertx.core.AsyncResult<?> result) {
        Object answer = result.result();
        Usage usage = answer instanceof Completion c ? c.usage() : answer instanceof StreamSummary s ? s.usage() : null;
        return observer.answered(key, trace, nanos, retry, fallback, providerModelId, usage);
      }
    };
  }
}
