package io.turnout.dataplane.http;

import io.turnout.dataplane.observability.RequestTrace;
import io.vertx.core.http.HttpServerResponse;

/** Response headers the node adds, and the one place that writes them from a {@link RequestTrace}. */
public final class Headers {

  /** The request id: the client's {@code x-request-id} when sane, else generated; also sent upstream. */
  public static final String REQUEST_ID = "x-request-id";
  /** A client's stable key for canary stickiness (e.g. a conversation id); optional. */
  public static final String STABLE_KEY = "x-turnout-stable-key";
  /** The provider that answered, or failed. */
  public static final String PROVIDER = "x-turnout-provider";
  /** The failure class of an error answer, e.g. {@code rate_limited}. */
  public static final String ERROR_CLASS = "x-turnout-error-class";
  /** Upstream attempts made for this request, retries and fallbacks included. */
  public static final String ATTEMPTS = "x-turnout-attempts";
  /** {@code primary} or {@code fallback}: the route of the attempt that answered (or failed last). */
  public static final String ROUTE = "x-turnout-route";
  /** The route version that served the request. */
  public static final String ROUTE_VERSION = "x-turnout-route-version";
  /** {@code none}, or why the request moved to the fallback route: a failure class or {@code breaker_open}. */
  public static final String FALLBACK = "x-turnout-fallback";
  /** {@code true} when canary selection sent the request to the fallback route first. */
  public static final String CANARY = "x-turnout-canary";

  private Headers() {}

  /** Writes the request id and whatever routing decided; called before the head is written. */
  static void write(HttpServerResponse response, RequestTrace trace) {
    response.putHeader(REQUEST_ID, trace.requestId());
    if (trace.routeVersion() == null && trace.provider() == null) {
      return;
    }
    if (trace.routeVersion() != null) {
      response.putHeader(ROUTE_VERSION, trace.routeVersion());
    }
    // A routed answer carries every routing header, also when no attempt ran (a disabled
    // version): then route and provider read "none" and attempts 0.
    response.putHeader(PROVIDER, trace.provider() == null ? "none" : trace.provider())
        .putHeader(ROUTE, trace.role() == null ? "none" : trace.role())
        .putHeader(ATTEMPTS, Integer.toString(trace.attempts()))
        .putHeader(FALLBACK, trace.fallbackReason() == null ? "none" : trace.fallbackReason())
        .putHeader(CANARY, Boolean.toString(trace.canary()));
  }
}
