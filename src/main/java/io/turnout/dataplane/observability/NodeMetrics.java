package io.turnout.dataplane.observability;

import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.provider.ErrorClass;

/**
 * The node's domain metrics. Call sites report what happened; the implementation decides meters
 * and tags (the Micrometer implementation in {@code io.turnout.metrics}), and tests or tools may use {@link #NOOP}.
 */
public interface NodeMetrics {

  /** A request was answered (or abandoned by its client) with this HTTP status. */
  void requestCompleted(RequestTrace trace, int httpStatus);

  /**
   * As {@link #requestCompleted(RequestTrace, int)}, with the request and response body sizes
   * ({@code -1} when not known, e.g. on the event bus).
   */
  default void requestCompleted(RequestTrace trace, int httpStatus, long bytesIn, long bytesOut) {
    requestCompleted(trace, httpStatus);
  }

  /** One upstream attempt ended; {@code outcome} is null on success. */
  void attemptCompleted(String provider, String role, String routeVersion, ErrorClass outcome, long nanos);

  /** A route map edit was refused. */
  void configRejected();

  /** The members that acknowledged a route revision: the cluster as route control sees it (1 alone). */
  default void clusterMembers(int count) {}

  /**
   * A gate's latest verdict on a scope.
   *
   * @param state 0 pass, 1 breach, 2 inconclusive
   */
  default void gateVerdict(String gate, String scope, int state, double value) {}

  /** The gates this node evaluates, so their action counters exist (at 0) before any acts. */
  default void gatesConfigured(java.util.Collection<String> gates) {}

  /** This member made a gate's change (exactly one member does per change). */
  default void gateAction(String gate, String decision) {}

  /** How many other members evaluate gates with settings (bucket width, rules) other than this member's. */
  default void gateSettingsDisagreeing(int members) {}

  /** Reports nothing. */
  NodeMetrics NOOP = new NodeMetrics() {
    @Override
    public void requestCompleted(RequestTrace trace, int httpStatus) {}

    @Override
    public void attemptCompleted(String provider, String role, String routeVersion, ErrorClass outcome, long nanos) {}

    @Override
    public void configRejected() {}
  };
}
