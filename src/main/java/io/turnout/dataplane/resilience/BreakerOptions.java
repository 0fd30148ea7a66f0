package io.turnout.dataplane.resilience;

import io.turnout.config.ConfigNode;

/**
 * The per-provider circuit breaker. It is a consecutive-failure breaker that protects the node
 * from a dead provider; it is not a gate and is blind to a steady low error rate.
 *
 * @param maxFailures failures within {@code failuresWindowMs} that open the breaker
 * @param resetTimeoutMs how long it stays open before one trial request is let through (half-open)
 * @param failuresWindowMs the window failures are counted in
 */
public record BreakerOptions(int maxFailures, long resetTimeoutMs, long failuresWindowMs) {

  public static final int DEFAULT_MAX_FAILURES = 5;
  public static final long DEFAULT_RESET_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_FAILURES_WINDOW_MS = 10_000;
  public static final BreakerOptions DEFAULT =
      new BreakerOptions(DEFAULT_MAX_FAILURES, DEFAULT_RESET_TIMEOUT_MS, DEFAULT_FAILURES_WINDOW_MS);

  /** Reads {@code breaker}; every field optional. */
  public static BreakerOptions fromConfig(ConfigNode node) {
    int maxFailures = node.intValue("max_failures", DEFAULT_MAX_FAILURES, 1, 10_000);
    long reset = node.longValue("reset_timeout_ms", DEFAULT_RESET_TIMEOUT_MS, 100, 3_600_000);
    long window = node.longValue("failures_window_ms", DEFAULT_FAILURES_WINDOW_MS, 100, 3_600_000);
    node.finish();
    return new BreakerOptions(maxFailures, reset, window);
  }
}
