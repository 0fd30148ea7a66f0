package io.turnout.dataplane.observability;

import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.provider.UsageSource;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured log line per request, with the runbook's observability fields, written as JSON
 * fields by the logstash encoder (logger {@code turnout.request}). It reads only the
 * {@link RequestTrace}: prompts, completions and keys are not in it to begin with.
 */
public final class RequestLog {

  private static final Logger LOG = LoggerFactory.getLogger("turnout.request");
  private static final int MAX_ALIAS = 100;

  private RequestLog() {}

  /** The fields of the line, in the runbook's order (also used by tests). */
  public static Map<String, Object> fields(RequestTrace trace, int httpStatus) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("llm_route", trace.role());
    f.put("llm_route_version", trace.routeVersion());
    f.put("provider", trace.provider());
    f.put("provider_model", trace.providerModel());
    f.put("app_model_alias", truncate(trace.alias()));
    f.put("request_id", trace.requestId());
    f.put("provider_request_id", trace.providerRequestId());
    f.put("tenant_or_cohort", trace.caller() == null ? null : trace.caller().cohort());
    f.put("tenant", trace.caller() == null ? null : trace.caller().tenant());
    f.put("http_status", httpStatus);
    f.put("error_class", errorClass(trace, httpStatus));
    f.put("retry_count", trace.retries());
    f.put("fallback_attempted", trace.fallbackAttempted());
    f.put("fallback_reason", trace.fallbackReason());
    f.put("fallback_skipped_reason", trace.fallbackSkipped() == null ? null : trace.fallbackSkipped().wireName());
    // A deadline applies only to a request that was routed to a version.
    f.put("timeout_ms", trace.routedToVersion() ? trace.timeoutMs() : null);
    f.put("latency_ms", trace.elapsedMillis());
    boolean usage = trace.usage().source() != UsageSource.NONE;
    f.put("input_token_count", usage ? trace.usage().promptTokens() : null);
    f.put("output_token_count", usage ? trace.usage().completionTokens() : null);
    f.put("usage_source", trace.usage().source().wireName());
    f.put("rollback_candidate", "fallback".equals(trace.role()) && trace.errorClass() != null
        && trace.errorClass().rollbackEvidence());
    f.put("attempts", trace.attempts());
    f.put("stream", trace.stream());
    f.put("canary", trace.canary());
    if (trace.firstChunkAfterNanos() >= 0) {
      f.put("first_chunk_ms", trace.firstChunkAfterNanos() / 1_000_000);
    }
    if (trace.expiredFrom() != null) {
      f.put("expired_from", trace.expiredFrom());
    }
    if (trace.dataPolicy() != null) {
      f.put("data_policy", trace.dataPolicy());
    }
    return f;
  }

  /**
   * The request's error class as the metrics tag it: the failure class of an upstream failure,
   * {@code client_error} for any other 4xx/5xx the node answered itself ({@code client_cancelled}
   * when the client left), null on success.
   */
  public static String errorClass(RequestTrace trace, int httpStatus) {
    if (trace.errorClass() != null) {
      return trace.errorClass().wireName();
    }
    if (httpStatus == CLIENT_CLOSED) {
      return "client_cancelled";
    }
    return httpStatus >= 400 ? "client_error" : null;
  }

  /** The status recorded for a request whose client went away before its answer ended (nginx's 499). */
  public static final int CLIENT_CLOSED = 499;

  /**
   * The fields of the line with what the front door knows ({@link HttpFacts}), the upstream
   * address of the provider that answered (or failed last) and the request's trace and span ids
   * ({@code null} when not traced).
   */
  public static Map<String, Object> fields(RequestTrace trace, int httpStatus, HttpFacts http, String upstreamAddress) {
    Map<String, Object> f = fields(trace, httpStatus);
    f.put("client_address", http.clientAddress());
    f.put("method", http.method());
    f.put("path", http.path());
    f.put("bytes_in", http.bytesIn() < 0 ? null : http.bytesIn());
    f.put("bytes_out", http.bytesOut() < 0 ? null : http.bytesOut());
    f.put("upstream_address", upstreamAddress);
    f.put("trace_id", RequestSpans.traceId(trace));
    f.put("span_id", RequestSpans.spanId(trace));
    return f;
  }

  /** Writes the request's line. */
  public static void write(RequestTrace trace, int httpStatus) {
    write(trace, httpStatus, HttpFacts.NONE, null);
  }

  /** Writes the request's line with its HTTP facts and upstream address. */
  public static void write(RequestTrace trace, int httpStatus, HttpFacts http, String upstreamAddress) {
    if (LOG.isInfoEnabled()) {
      LOG.info(Markers.appendEntries(fields(trace, httpStatus, http, upstreamAddress)), "chat request");
    }
  }

  /**
   * One line for an answer that failed an output acceptance check: the request, the route version
   * and provider, and the failed checks (names and reasons; never the content).
   */
  public static void acceptanceFailed(String requestId, String routeVersion, String provider,
      java.util.List<String> failures) {
    if (LOG.isInfoEnabled()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("request_id", requestId);
      f.put("llm_route_version", routeVersion);
      f.put("provider", provider);
      f.put("acceptance_failures", failures);
      LOG.info(Markers.appendEntries(f), "acceptance check failed");
    }
  }

  private static String truncate(String alias) {
    return alias == null || alias.length() <= MAX_ALIAS ? alias : alias.substring(0, MAX_ALIAS) + "...";
  }
}
