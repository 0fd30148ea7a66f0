package io.turnout.bench;

import java.util.Arrays;

/**
 * Per-request latencies in nanoseconds, in a buffer allocated up front so that recording never
 * allocates (and never adds GC work to the thing being measured).
 */
final class LatencyRecorder {

  /** Nearest-rank percentiles and a few companions, in nanoseconds. */
  record Summary(int count, long min, long p50, long p90, long p99, long p999, long max, double mean) {}

  private final long[] samples;
  private int count;

  LatencyRecorder(int capacity) {
    this.samples = new long[capacity];
  }

  /** Records one latency; samples beyond the capacity are dropped (the caller sizes it exactly). */
  void record(long nanos) {
    if (count < samples.length) {
      samples[count++] = nanos;
    }
  }

  int count() {
    return count;
  }

  /** Summarises what was recorded; sorts a copy, so recording may go on afterwards. */
  Summary summary() {
    if (count == 0) {
      return new Summary(0, 0, 0, 0, 0, 0, 0, 0);
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    long sum = 0;
    for (long s : sorted) {
      sum += s;
    }
    return new Summary(count, sorted[0], rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
        rank(sorted, 0.999), sorted[count - 1], (double) sum / count);
  }

  /** Nearest rank: the smallest sample with at least {@code q} of all samples at or below it. */
  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
