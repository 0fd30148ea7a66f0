package io.turnout.dataplane.observability;

import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.signals.AttemptSignals;
import io.turnout.dataplane.signals.PriceTable;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.signals.SignalWindows;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import java.time.Clock;

/**
 * What the data plane reports as requests and attempts finish: the request's log line and its
 * metrics (once per request), and each attempt's outcome into the rollback gates' signal windows.
 */
public final class RequestObserver {

  private final NodeMetrics metrics;
  private final SignalWindows signals;
  private final Clock clock;
  private final RequestSpans spans;
  private final java.util.Map<String, String> upstreamAddresses;

  public RequestObserver(NodeMetrics metrics, SignalWindows signals, Clock clock) {
    this(metrics, signals, clock, new RequestSpans(Tracing.OFF), java.util.Map.of());
  }

  /**
   * @param spans the request and attempt spans ({@code new RequestSpans(Tracing.OFF)} when not tracing)
   * @param upstreamAddresses each provider's {@code host:port}, for the request log
   */
  public RequestObserver(NodeMetrics metrics, SignalWindows signals, Clock clock, RequestSpans spans,
      java.util.Map<String, String> upstreamAddresses) {
    this.metrics = metrics;
    this.signals = signals;
    this.clock = clock;
    this.spans = spans;
    this.upstreamAddresses = java.util.Map.copyOf(upstreamAddresses);
  }

  /** An observer that feeds no gates (tools and tests without a node). */
  public RequestObserver(NodeMetrics metrics) {
    this(metrics, new SignalWindows(60_000, 60_000, PriceTable.NONE), Clock.systemUTC());
  }

  /** Records a finished request. */
  public void completed(RequestTrace trace, int httpStatus) {
    completed(trace, httpStatus, HttpFacts.NONE);
  }

  /** A request arrived over HTTP: starts its span (continuing the caller's {@code traceparent}). */
  public void started(RequestTrace trace, java.util.function.Function<String, String> header, String method,
      String route) {
    spans.requestStarted(trace, header, method, route);
  }

  /** Records a finished HTTP request: metrics with its sizes, its span and its log line. */
  public void completed(RequestTrace trace, int httpStatus, HttpFacts http) {
    metrics.requestCompleted(trace, httpStatus, http.bytesIn(), http.bytesOut());
    spans.requestEnded(trace, httpStatus);
    String upstream = trace.provider() == null ? null : upstreamAddresses.get(trace.provider());
    RequestLog.write(trace, httpStatus, http, upstream);
  }

  /** An upstream attempt counted under {@code key} starts (ends with {@link #attempt}). */
  public void attemptStarted(SignalKey key) {
    signals.started(key);
  }

  /** An upstream attempt of {@code trace} starts: counted, and traced as a child of the request's span. */
  public void attemptStarted(SignalKey key, RequestTrace trace, boolean retry, boolean fallback) {
    signals.started(key);
    spans.attemptStarted(trace, key, retry, fallback);
  }

  /** As {@link #attempt(SignalKey, ErrorClass, long, boolean, boolean)}, also ending the attempt's span. */
  public void attempt(SignalKey key, RequestTrace trace, ErrorClass outcome, long nanos, boolean retry,
      boolean fallback) {
    trace.addUpstreamNanos(nanos);
    spans.attemptEnded(trace, outcome);
    attempt(key, outcome, nanos, retry, fallback);
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

  /**
   * An attempt of {@code trace} answered: metered and its span ended now, its signals returned
   * unwritten, for {@link #record} (or {@link #acceptance}) to write in one go with its verdict;
   * {@code usage} null when the answer carries none.
   */
  public AttemptSignals answered(SignalKey key, RequestTrace trace, long nanos, boolean retry, boolean fallback,
      String providerModelId, Usage usage) {
    trace.addUpstreamNanos(nanos);
    spans.attemptEnded(trace, null);
    metrics.attemptCompleted(key.provider(), key.role(), key.routeVersion(), null, nanos);
    AttemptSignals attempt = new AttemptSignals(key, null, nanos, retry, fallback, clock.millis());
    return usage == null ? attempt : attempt.answered(signals.prices(), providerModelId, usage);
  }

  /** Writes an answered attempt's signals that no acceptance check judges. */
  public void record(AttemptSignals attempt) {
    signals.record(attempt);
  }

  /**
   * Writes an answered attempt's signals with its output acceptance verdict; a failure is also
   * logged (the check names and reasons, never the content) on the request log's logger.
   */
  public void acceptance(AttemptSignals attempt, String requestId, java.util.List<String> failures) {
    signals.record(attempt.accepted(failures.isEmpty()));
    if (!failures.isEmpty()) {
      SignalKey key = attempt.key();
      RequestLog.acceptanceFailed(requestId, key.routeVersion(), key.provider(), failures);
    }
  }

  public NodeMetrics metrics() {
    return metrics;
  }
}
