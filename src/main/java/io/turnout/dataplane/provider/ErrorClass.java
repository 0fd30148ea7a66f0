package io.turnout.dataplane.provider;

/**
 * The closed set of failure classes. Every failed attempt lands in exactly one of them, so that
 * retry, fallback, metrics and gates never have to re-interpret an HTTP status on their own.
 *
 * <p>This enum is the one place that says, per class, what the node does with it: whether another
 * attempt may fix it ({@link #transientFailure()}: the only classes {@code retry_on} and
 * {@code fallback_on} may name), whether it counts against a provider's breaker
 * ({@link #countsForBreaker()}), whether it is evidence for rolling back the route that produced
 * it ({@link #rollbackEvidence()}), and the status and code the client sees for it.
 */
public enum ErrorClass {
  /** The provider refused our credentials (401/403). Never retried: a key problem does not heal in 200 ms. */
  AUTH("auth", false, false, true, 502, "upstream_auth_failed", false),
  /** The request itself is wrong (400/404/413/422 and provider "invalid request" variants). Never retried. */
  VALIDATION("validation", false, false, false, 400, null, false),
  /** 429; the provider's Retry-After is kept on the failure. */
  RATE_LIMITED("rate_limited", true, true, false, 429, "rate_limit_exceeded", true),
  /** 5xx, including Anthropic's 529 overloaded. */
  UPSTREAM_5XX("upstream_5xx", true, true, true, 502, "upstream_error", true),
  /** Connect, first-byte, idle or total deadline passed. */
  TIMEOUT("timeout", true, true, true, 504, "upstream_timeout", true),
  /** Connection refused, reset or closed before a complete answer. */
  NETWORK("network", true, true, true, 502, "upstream_unreachable", true),
  /** A 2xx whose body breaks the contract, or a stream that ends without its terminal event. */
  MALFORMED_RESPONSE("malformed_response", false, true, true, 502, "malformed_response", true),
  /** The provider refused the content (content filter / policy violation). Never retried. */
  CONTENT_POLICY("content_policy", false, false, false, 400, "content_filter", false),
  /**
   * The attempt was cancelled on our side and the upstream request reset: the caller went away, or
   * (code {@code route_drained}) drain mode {@code cancel} ended it because its scope moved to
   * another version. Never evidence against a provider.
   */
  CLIENT_CANCELLED("client_cancelled", false, false, false, 499, "client_cancelled", true);

  private final String wireName;
  private final boolean transientFailure;
  private final boolean countsForBreaker;
  private final boolean rollbackEvidence;
  private final int clientStatus;
  private final String clientCode;
  private final boolean clientRetryUseful;

  ErrorClass(String wireName, boolean transientFailure, boolean countsForBreaker, boolean rollbackEvidence,
      int clientStatus, String clientCode, boolean clientRetryUseful) {
    this.wireName = wireName;
    this.transientFailure = transientFailure;
    this.countsForBreaker = countsForBreaker;
    this.rollbackEvidence = rollbackEvidence;
    this.clientStatus = clientStatus;
    this.clientCode = clientCode;
    this.clientRetryUseful = clientRetryUseful;
  }

  /** The name used in headers, logs, metrics and event-bus failures, e.g. {@code upstream_5xx}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether another attempt may succeed where this one failed: timeout, network, upstream_5xx and
   * rate_limited. Only these may be retried or failed over ({@code retry_on}, {@code fallback_on});
   * a bad key, a bad request or refused content fail the same way on the next try (runbook section
   * 4), a malformed answer means the adapter is wrong, and a cancelled caller is gone.
   */
  public boolean transientFailure() {
    return transientFailure;
  }

  /**
   * Whether the failure says something about the provider's health and so counts for its breaker:
   * a rejected request, a refused content, a bad key or a client that left does not.
   */
  public boolean countsForBreaker() {
    return countsForBreaker;
  }

  /**
   * Whether a failure of this class on the fallback route is evidence for rolling that route back
   * (runbook section 4's table: 5xx, timeout, network, malformed, auth).
   */
  public boolean rollbackEvidence() {
    return rollbackEvidence;
  }

  /**
   * The status a client gets for this class by default (validation: the provider's 400/404/413/422;
   * an open breaker's {@code circuit_open} and a drain's {@code route_drained}: 503).
   */
  public int clientStatus() {
    return clientStatus;
  }

  /** The OpenAI-shaped error {@code code} a client gets by default; null for validation (the provider's own). */
  public String clientCode() {
    return clientCode;
  }

  /** Whether a client retrying by itself can help (false: auth, validation, content_policy; {@code x-should-retry}). */
  public boolean clientRetryUseful() {
    return clientRetryUseful;
  }

  /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} on anything else. */
  public static ErrorClass fromWireName(String name) {
    for (ErrorClass c : values()) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown error class: " + name);
  }
}
