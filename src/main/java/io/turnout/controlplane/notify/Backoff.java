package io.turnout.controlplane.notify;

import java.util.function.DoubleSupplier;

/**
 * When and whether a failed delivery is tried again: exponential backoff with jitter, and the
 * failures worth a retry (network errors, timeouts, 429 and 5xx; never another 4xx, which the
 * same request would only get again).
 */
public final class Backoff {

  private final long baseMs;
  private final long maxMs;
  private final DoubleSupplier random;

  /** @param random uniform in [0, 1): the jitter's source (tests pass a fixed one) */
  public Backoff(long baseMs, long maxMs, DoubleSupplier random) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /**
   * The delay before retry {@code retry} (1 for the first): {@code base * 2^(retry-1)}, capped at
   * the maximum, then scaled into its upper half at random ("equal jitter"), so retries of many
   * members never fall due together and never come sooner than half the backoff.
   */
  public long delayMs(int retry) {
    double exponential = baseMs * Math.pow(2, Math.max(0, Math.min(retry - 1, 40)));
    double capped = Math.min(maxMs, exponential);
    return Math.max(1, Math.round(capped / 2 + capped / 2 * random.getAsDouble()));
  }

  /** Whether an HTTP status is worth a retry; {@code status <= 0} stands for a network error or timeout. */
  public static boolean retryable(int status) {
    return status <= 0 || status == 429 || status >= 500;
  }

  /** Whether an HTTP status means the receiver took the delivery. */
  public static boolean delivered(int status) {
    return status >= 200 && status < 300;
  }
}
