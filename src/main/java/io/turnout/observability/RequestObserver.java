package io.turnout.observability;

import io.turnout.chat.RequestTrace;
import io.turnout.provider.ErrorClass;

/** What the front doors call when a request is done: its log line and its metrics, once. */
public final class RequestObserver {

  private final NodeMetrics metrics;

  public RequestObserver(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  /** Records a finished request. */
  public void completed(RequestTrace trace, int httpStatus) {
    metrics.requestCompleted(trace, httpStatus);
    RequestLog.write(trace, httpStatus);
  }

  /** Records one finished upstream attempt. */
  public void attempt(String provider, String role, String routeVersion, ErrorClass outcome, long nanos) {
    metrics.attemptCompleted(provider, role, routeVersion, outcome, nanos);
  }

  public NodeMetrics metrics() {
    return metrics;
  }
}
