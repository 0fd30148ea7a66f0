package io.turnout.observability;

import io.turnout.chat.RequestTrace;
import io.turnout.gates.PriceTable;
import io.turnout.gates.SignalKey;
import io.turnout.gates.SignalWindows;
import io.turnout.provider.ErrorClass;
import io.turnout.provider.Usage;
import java.time.Clock;

/**
 * What the data plane reports as requests and attempts finish: the request's log line and its
 * metrics (once per request), and each attempt's outcome into the rollback gates' signal windows.
 */
public final class RequestObserver {

  private final NodeMetrics metrics;
  private final SignalWindows signals;
  private final Clock clock;

  public RequestObserver(NodeMetrics metrics, SignalWindows signals, Clock clock) {
    this.metrics = metrics;
    this.signals = signals;
    this.clock = clock;
  }

  /** An observer that feeds no gates (tools and tests without a node). */
  public RequestObserver(NodeMetrics metrics) {
    this(metrics, new SignalWindows(60_000, 60_000, PriceTable.NONE), Clock.systemUTC());
  }

  /** Records a finished request. */
  public void completed(RequestTrace trace, int httpStatus) {
    metrics.requestCompleted(trace, httpStatus);
    RequestLog.write(trace, httpStatus);
  }

  /** An upstream attempt counted under {@code key} starts (ends with {@link #attempt}). */
  public void attemptStarted(SignalKey key) {
    signals.started(key);
  }

  /**
   * Records one finished upstream attempt.
   *
   * @param outcome null on success
   * @param retry whether it was a retry of the same route
   * @param fallback whether it ran because an earlier planned route failed or was skipped
   */
  public void attempt(SignalKey key, ErrorClass outcome, long nanos, boolean retry, boolean fallback) {
    metrics.attemptCompleted(key.provider(), key.role(), key.routeVersion(), outcome, nanos);
    signals.attempt(key, outcome, nanos, retry, fallback, clock.millis());
  }

  /** Records the usage of an answer from the attempt counted under {@code key}. */
  public void answered(SignalKey key, String providerModelId, Usage usage) {
    signals.answer(key, providerModelId, usage, clock.millis());
  }

  /**
   * Records an answer's output acceptance verdict; a failure is also logged (the check names and
   * reasons, never the content) on the request log's logger.
   */
  public void acceptance(SignalKey key, String requestId, java.util.List<String> failures) {
    signals.acceptance(key, failures.isEmpty(), clock.millis());
    if (!failures.isEmpty()) {
      RequestLog.acceptanceFailed(requestId, key.routeVersion(), key.provider(), failures);
    }
  }

  public NodeMetrics metrics() {
    return metrics;
  }
}
