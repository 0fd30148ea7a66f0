package io.turnout.dataplane.observability;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.tenancy.Caller;
import io.turnout.dataplane.routing.FallbackSkip;

/**
 * What happened to one request, filled in as it moves through routing and its attempts, and read
 * by whatever answers the client (headers) and logs it. One per request, used on one event loop.
 */
public final class RequestTrace {

  private final String requestId;
  private final String stableKey;
  private final long startNanos;
  private Caller caller;
  private String alias;
  private String scope;
  private String routeVersion;
  private String expiredFrom;
  private String role;
  private String provider;
  private String providerModel;
  private String providerRequestId;
  private int attempts;
  private int retries;
  private String fallbackReason;
  private String dataPolicy;
  private boolean canary;
  private long timeoutMs;
  private ErrorClass errorClass;
  private Usage usage = Usage.NONE;
  private boolean stream;
  private long firstChunkNanos = -1;
  private FallbackSkip fallbackSkipped;
  private long upstreamNanos;
  private Object telemetry;

  /**
   * @param requestId the request's id
   * @param stableKey the caller's stable request key (e.g. a conversation id) for canary
   *     stickiness, or null: then the request id is used and canary membership is per request
   */
  public RequestTrace(String requestId, String stableKey) {
    this.requestId = requestId;
    this.stableKey = stableKey == null || stableKey.isBlank() ? requestId : stableKey;
    this.startNanos = System.nanoTime();
  }

  /** A trace whose canary key is the request id. */
  public RequestTrace(String requestId) {
    this(requestId, null);
  }

  /** Marks a streaming request (set before routing). */
  public void streaming() {
    this.stream = true;
  }

  /** Records who sent the request once authenticated, so a refusal after that still logs the caller. */
  public void identified(Caller caller) {
    this.caller = caller;
  }

  /** Records the alias the client asked for (logged even when refused; never a metric tag). */
  public void askedFor(String alias) {
    this.alias = alias;
  }

  /** Whether the request was routed to a route version (so the route's fields apply). */
  public boolean routedToVersion() {
    return routeVersion != null;
  }

  /** Records when the first chunk went to the client (once). */
  public void firstChunk() {
    if (firstChunkNanos < 0) {
      firstChunkNanos = System.nanoTime();
    }
  }

  /** Records the plan a request was routed on (written by the chat pipeline only). */
  public void routed(Caller caller, String alias, String scope, String routeVersion, String expiredFrom, boolean canary,
      long timeoutMs) {
    this.caller = caller;
    this.alias = alias;
    this.scope = scope;
    this.routeVersion = routeVersion;
    this.expiredFrom = expiredFrom;
    this.canary = canary;
    this.timeoutMs = timeoutMs;
  }

  /** Records that an upstream attempt starts. */
  public void attempt(String role, String provider, String providerModel, boolean retry) {
    this.role = role;
    this.provider = provider;
    // Known before any answer, so a failed request still says which pinned model it asked for.
    this.providerModel = providerModel;
    this.attempts++;
    if (retry) {
      retries++;
    }
  }

  /**
   * Names the route a request ended on although no attempt of it was made (an open breaker turned
   * it away): the headers and the log say which provider refused, and the attempt count stays.
   */
  public void target(String role, String provider, String providerModel) {
    this.role = role;
    this.provider = provider;
    this.providerModel = providerModel;
  }

  public void rerouted(String routeVersion) {
    this.routeVersion = routeVersion;
  }

  /** A move to the next planned route that the failure called for was not made, for {@code reason}. */
  public void fallbackSkipped(FallbackSkip reason) {
    this.fallbackSkipped = reason;
  }

  /**
   * Why a move to the next route the request's failure called for was not made ({@code deadline},
   * {@code manual_only}, {@code data_policy}, {@code breaker_open}, {@code stopped},
   * {@code stream_started}), or null; the log's {@code fallback_skipped_reason}.
   */
  public FallbackSkip fallbackSkipped() {
    return fallbackSkipped;
  }

  /** Whether the request moved to another planned route, and an attempt of it was made (or it was planned there). */
  public boolean fallbackAttempted() {
    return fallbackReason != null;
  }

  /** Records why the request moved to another route; called when an attempt of that route starts. */
  public void fellBack(String reason) {
    if (fallbackReason == null) {
      fallbackReason = reason;
    }
  }

  /** Records what the data policy gate did to the plan. */
  public void dataPolicy(String note) {
    this.dataPolicy = note;
  }

  /** Records the answer that went back to the client. */
  public void answered(String providerModel, String providerRequestId, Usage usage) {
    if (providerModel != null) {
      this.providerModel = providerModel;
    }
    this.providerRequestId = providerRequestId;
    this.usage = usage;
  }

  /** Records the failure the request ended with. */
  public void failed(ErrorClass errorClass, String providerRequestId) {
    this.errorClass = errorClass;
    if (providerRequestId != null) {
      this.providerRequestId = providerRequestId;
    }
  }

  public String requestId() {
    return requestId;
  }

  /** The key canary membership is hashed by, after the end user. */
  public String stableKey() {
    return stableKey;
  }

  public long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  public boolean stream() {
    return stream;
  }

  /** Nanoseconds from the request's arrival to its first streamed chunk, or -1. */
  public long firstChunkAfterNanos() {
    return firstChunkNanos < 0 ? -1 : firstChunkNanos - startNanos;
  }

  public Caller caller() {
    return caller;
  }

  public String alias() {
    return alias;
  }

  /** The scope whose pointer served, e.g. {@code production/* /support-summary-v3}, or null. */
  public String scope() {
    return scope;
  }

  public String routeVersion() {
    return routeVersion;
  }

  /** The active version that had expired and was replaced by its rollback, or null. */
  public String expiredFrom() {
    return expiredFrom;
  }

  /** {@code primary} or {@code fallback}: the route of the last attempt, or null if none ran. */
  public String role() {
    return role;
  }

  public String provider() {
    return provider;
  }

  /**
   * The model the provider said it answered with, else the pinned provider model id the last
   * attempt asked for; null if no attempt ran.
   */
  public String providerModel() {
    return providerModel;
  }

  public String providerRequestId() {
    return providerRequestId;
  }

  public int attempts() {
    return attempts;
  }

  public int retries() {
    return retries;
  }

  /** What the data policy did to the plan ({@code dropped:<providers>} or {@code refused}), or null. */
  public String dataPolicy() {
    return dataPolicy;
  }

  /**
   * Why the request moved to another route ({@code upstream_5xx}, {@code breaker_open}, ...); when
   * it did not move because its version, scope or cohort has no automatic fallback at all, that
   * reason ({@code manual_only}, {@code data_policy}, {@code stopped}: {@link FallbackSkip#standing()});
   * else null. What {@code x-turnout-fallback} and the log's {@code fallback_reason} say.
   */
  public String fallbackReason() {
    if (fallbackReason == null && fallbackSkipped != null && fallbackSkipped.standing()) {
      return fallbackSkipped.wireName();
    }
    return fallbackReason;
  }

  public boolean canary() {
    return canary;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public Usage usage() {
    return usage;
  }

  /** Adds one finished upstream attempt's duration (the node's added latency is the rest). */
  public void addUpstreamNanos(long nanos) {
    upstreamNanos += nanos;
  }

  /** Nanoseconds spent in upstream attempts so far. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  /** Attaches the request's tracing state (owned by {@code io.turnout.dataplane.observability}). */
  public void telemetry(Object state) {
    this.telemetry = state;
  }

  /** The request's tracing state, or null when it is not traced. */
  public Object telemetry() {
    return telemetry;
  }
}
