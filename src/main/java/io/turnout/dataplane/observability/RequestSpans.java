package io.turnout.dataplane.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.provider.ErrorClass;
import java.util.List;
import java.util.function.Function;
import io.turnout.dataplane.provider.UpstreamTraceHeaders;

/**
 * A request's spans: one server span per request (continuing the caller's W3C
 * {@code traceparent}, else a new trace) and one client span per upstream attempt, its child.
 * Attributes come from the {@link RequestTrace} and the attempt's routing key only: never a
 * prompt, completion or key. The attempt span is made the current OpenTelemetry context (held on
 * the request's Vert.x context) while the attempt runs, which is where {@link UpstreamTraceHeaders}
 * reads the {@code traceparent} sent upstream.
 */
public final class RequestSpans {

  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("turnout.request_id");
  public static final AttributeKey<String> ALIAS = AttributeKey.stringKey("turnout.model_alias");
  public static final AttributeKey<String> ROUTE_VERSION = AttributeKey.stringKey("turnout.route_version");
  public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("turnout.route");
  public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("turnout.provider");
  public static final AttributeKey<String> ERROR_CLASS = AttributeKey.stringKey("turnout.error_class");
  public static final AttributeKey<Long> RETRY_COUNT = AttributeKey.longKey("turnout.retry_count");
  public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("turnout.attempts");
  public static final AttributeKey<String> FALLBACK_REASON = AttributeKey.stringKey("turnout.fallback_reason");
  public static final AttributeKey<Boolean> RETRY = AttributeKey.booleanKey("turnout.retry");
  public static final AttributeKey<Boolean> FALLBACK = AttributeKey.booleanKey("turnout.fallback");
  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  public static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

  private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Function<String, String> carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(Function<String, String> carrier, String key) {
      return carrier == null ? null : carrier.apply(key);
    }
  };

  private final Tracing tracing;

  public RequestSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  /** The spans of one request, kept on its {@link RequestTrace}. */
  private static final class State {
    Span server;
    Span attempt;
    Scope scope;
  }

  /**
   * Starts the request's server span.
   *
   * @param header the request's headers by name (only {@code traceparent}/{@code tracestate} are read)
   */
  public void requestStarted(RequestTrace trace, Function<String, String> header, String method, String route) {
    if (!tracing.enabled()) {
      return;
    }
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), header, HEADERS);
    State state = new State();
    state.server = tracing.tracer().spanBuilder(method + " " + route).setSpanKind(SpanKind.SERVER)
        .setParent(parent).setAttribute(METHOD, method).setAttribute(HTTP_ROUTE, route)
        .setAttribute(REQUEST_ID, trace.requestId()).startSpan();
    trace.telemetry(state);
  }

  /** Starts an attempt's client span and makes it current until {@link #attemptEnded}. */
  public void attemptStarted(RequestTrace trace, SignalKey key, boolean retry, boolean fallback) {
    if (!tracing.enabled()) {
      return;
    }
    State state = trace.telemetry() instanceof State s ? s : new State();
    trace.telemetry(state);
    Context parent = state.server == null ? Context.root() : Context.root().with(state.server);
    state.attempt = tracing.tracer().spanBuilder("upstream " + key.provider()).setSpanKind(SpanKind.CLIENT)
        .setParent(parent).setAttribute(PROVIDER, key.provider()).setAttribute(ROUTE, key.role())
        .setAttribute(ROUTE_VERSION, key.routeVersion()).setAttribute(RETRY, retry).setAttribute(FALLBACK, fallback)
        .setAttribute(ATTEMPTS, (long) trace.attempts()).setAttribute(REQUEST_ID, trace.requestId()).startSpan();
    state.scope = parent.with(state.attempt).makeCurrent();
  }

  /** Ends the running attempt's span; {@code outcome} is null on success. */
  public void attemptEnded(RequestTrace trace, ErrorClass outcome) {
    if (!(trace.telemetry() instanceof State state) || state.attempt == null) {
      return;
    }
    if (outcome != null) {
      state.attempt.setAttribute(ERROR_CLASS, outcome.wireName()).setStatus(StatusCode.ERROR, outcome.wireName());
    }
    state.attempt.end();
    state.attempt = null;
    if (state.scope != null) {
      state.scope.close();
      state.scope = null;
    }
  }

  /** Ends the request's server span with what the trace recorded. */
  public void requestEnded(RequestTrace trace, int httpStatus) {
    if (!(trace.telemetry() instanceof State state) || state.server == null) {
      return;
    }
    Span span = state.server;
    putIfSet(span, ALIAS, trace.routeVersion() == null ? null : trace.alias());
    putIfSet(span, ROUTE_VERSION, trace.routeVersion());
    putIfSet(span, ROUTE, trace.role());
    putIfSet(span, PROVIDER, trace.provider());
    putIfSet(span, FALLBACK_REASON, trace.fallbackReason());
    span.setAttribute(RETRY_COUNT, (long) trace.retries()).setAttribute(ATTEMPTS, (long) trace.attempts())
        .setAttribute(FALLBACK, trace.fallbackReason() != null).setAttribute(STATUS, (long) httpStatus);
    if (trace.errorClass() != null) {
      span.setAttribute(ERROR_CLASS, trace.errorClass().wireName());
    }
    if (httpStatus >= 500 || trace.errorClass() != null && httpStatus >= 400) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** The request's trace id (32 hex digits), or null when it is not traced. */
  public static String traceId(RequestTrace trace) {
    return trace.telemetry() instanceof State s && s.server != null ? s.server.getSpanContext().getTraceId() : null;
  }

  /** The request's server span id (16 hex digits), or null when it is not traced. */
  public static String spanId(RequestTrace trace) {
    return trace.telemetry() instanceof State s && s.server != null ? s.server.getSpanContext().getSpanId() : null;
  }

  private static void putIfSet(Span span, AttributeKey<String> key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }
}
