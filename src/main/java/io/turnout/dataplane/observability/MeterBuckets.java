package io.turnout.dataplane.observability;

import java.time.Duration;

/**
 * The histogram bucket boundaries of Turnout's meters, chosen for the SLOs and gates they feed
 * rather than Micrometer's percentile histogram (about 85 buckets per series, most of them
 * between values nobody alerts on). Each list is documented in README's "Observability".
 */
public final class MeterBuckets {

  private MeterBuckets() {}

  /**
   * End-to-end, first-chunk and attempt latency: 5 ms to 2 min. The runbook's latency gate and
   * the p50/p95/p99 panels interpolate between these (fine below a second, where first chunks and
   * short completions land; coarse above, where only long generations do).
   */
  public static final Duration[] LATENCY = durations(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
      30_000, 60_000, 120_000);

  /** The node's own added latency (total minus upstream time): 0.5 ms to 1 s. */
  public static final Duration[] ADDED_LATENCY = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};

  /** Request and response body sizes in bytes: 256 B to 16 MiB. */
  public static final double[] BYTES = {256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304,
      16_777_216};

  private static Duration[] durations(long... millis) {
    Duration[] out = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = Duration.ofMillis(millis[i]);
    }
    return out;
  }
}
