package io.turnout.dataplane.provider;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;

/**
 * Adds the running attempt's W3C {@code traceparent} (and {@code tracestate}) to an upstream
 * request, so a provider that traces continues the node's trace. Adds nothing when no span is
 * current (tracing off, or a call outside a request).
 */
public final class UpstreamTraceHeaders {

  private UpstreamTraceHeaders() {}

  /** Returns {@code headers} with the current context's trace headers set. */
  public static MultiMap inject(MultiMap headers) {
    W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, (carrier, key, value) -> {
      if (carrier != null) {
        carrier.set(key, value);
      }
    });
    return headers;
  }
}
