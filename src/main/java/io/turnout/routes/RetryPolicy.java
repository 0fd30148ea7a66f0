package io.turnout.routes;

import io.turnout.config.ConfigNode;
import io.turnout.dataplane.provider.ErrorClass;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * When one provider attempt is repeated against the same provider, and after how long. Retries
 * are for transient transport failures only; moving to another provider is fallback, decided by
 * the route's {@code fallback_on}, never by this policy (runbook section 4).
 *
 * @param maxRetries retries per provider attempt, 0..{@value #MAX_RETRIES_LIMIT}
 * @param retryOn the failure classes that may be retried; never auth, validation, content_policy,
 *     malformed_response or client_cancelled
 * @param maxRetryAfterMs a failure whose Retry-After is longer than this is not retried
 * @param backoffMs the base delay before the first retry; doubled per retry and jittered up to +50%
 */
public record RetryPolicy(int maxRetries, Set<ErrorClass> retryOn, long maxRetryAfterMs, long backoffMs) {

  /** One retry: enough for a blip, not enough to become a retry storm. */
  public static final int DEFAULT_MAX_RETRIES = 1;
  /** The upper bound of {@code max_retries}. */
  public static final int MAX_RETRIES_LIMIT = 3;
  /** The transient classes: timeout, network, upstream_5xx, rate_limited. */
  public static final Set<ErrorClass> DEFAULT_RETRY_ON = ErrorClasses.TRANSIENT;
  /** A provider asking for more than 2 s is better served by fallback than by waiting. */
  public static final long DEFAULT_MAX_RETRY_AFTER_MS = 2_000;
  /** The base backoff before a retry without a Retry-After hint. */
  public static final long DEFAULT_BACKOFF_MS = 50;
  /** The upper bound of {@code max_retry_after_ms} and {@code backoff_ms}. */
  public static final long MAX_DELAY_LIMIT_MS = 60_000;

  /** The policy used when a route has no {@code retry_policy}. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(DEFAULT_MAX_RETRIES, DEFAULT_RETRY_ON, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_BACKOFF_MS);

  /** Validates and takes an immutable copy; throws IllegalArgumentException on an out-of-range value. */
  public RetryPolicy {
    if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
      throw new IllegalArgumentException("maxRetries must be 0.." + MAX_RETRIES_LIMIT);
    }
    if (maxRetryAfterMs < 0 || maxRetryAfterMs > MAX_DELAY_LIMIT_MS || backoffMs < 0 || backoffMs > MAX_DELAY_LIMIT_MS) {
      throw new IllegalArgumentException("delays must be 0.." + MAX_DELAY_LIMIT_MS + " ms");
    }
    retryOn = ErrorClasses.checkedCopy(retryOn, "retryOn");
  }

  /** Reads a {@code retry_policy} section; an absent section (an empty node) yields {@link #DEFAULT}. */
  public static RetryPolicy fromConfig(ConfigNode node) {
    int maxRetries = node.intValue("max_retries", DEFAULT_MAX_RETRIES, 0, MAX_RETRIES_LIMIT);
    Set<ErrorClass> retryOn = ErrorClasses.read(node, "retry_on", DEFAULT_RETRY_ON);
    long maxRetryAfter = node.longValue("max_retry_after_ms", DEFAULT_MAX_RETRY_AFTER_MS, 0, MAX_DELAY_LIMIT_MS);
    long backoff = node.longValue("backoff_ms", DEFAULT_BACKOFF_MS, 0, MAX_DELAY_LIMIT_MS);
    node.finish();
    return new RetryPolicy(maxRetries, retryOn, maxRetryAfter, backoff);
  }

  /**
   * Whether a failed attempt may be sent again to the same provider. The caller separately checks
   * {@link #hasRetriesLeft(int)} and the request's remaining deadline.
   *
   * @param retryAfterMillis the provider's Retry-After hint, or a negative value when absent
   * @param anyChunkSent whether any part of the answer already reached the client: a retry then
   *     would duplicate or contradict what the client has, so it is never allowed
   */
  public boolean shouldRetry(ErrorClass errorClass, long retryAfterMillis, boolean anyChunkSent) {
    if (anyChunkSent || maxRetries == 0 || !retryOn.contains(errorClass)) {
      return false;
    }
    // Applies to every class, not only 429: a 503 that says "come back in a minute" is a reason to
    // fall back, not to hold the request.
    return retryAfterMillis < 0 || retryAfterMillis <= maxRetryAfterMs;
  }

  /** Whether another retry is allowed after {@code retriesDone} retries of the same provider attempt. */
  public boolean hasRetriesLeft(int retriesDone) {
    return retriesDone < maxRetries;
  }

  /**
   * The delay before retry number {@code retryIndex} (0 = the first retry). A provider's
   * Retry-After is honoured as given (capped at {@code max_retry_after_ms}); otherwise
   * {@code backoff_ms * 2^retryIndex} plus up to 50% jitter, so that nodes that failed together do
   * not retry together.
   *
   * @param retryAfterMillis the provider's hint, or a negative value when absent
   */
  public long delayMillis(int retryIndex, long retryAfterMillis, RandomGenerator random) {
    if (retryAfterMillis >= 0) {
      return Math.min(retryAfterMillis, maxRetryAfterMs);
    }
    long base = backoffMs << Math.min(Math.max(retryIndex, 0), MAX_RETRIES_LIMIT);
    return base == 0 ? 0 : base + random.nextLong(base / 2 + 1);
  }

  /** The config shape of the policy. */
  public JsonObject toJson() {
    return new JsonObject().put("max_retries", maxRetries).put("retry_on", ErrorClasses.toJson(retryOn))
        .put("max_retry_after_ms", maxRetryAfterMs).put("backoff_ms", backoffMs);
  }
}
