package io.turnout.dataplane.signals;

/**
 * Fixed latency bucket bounds shared by every member, so histograms from different members add
 * up bucket by bucket. A percentile is reported as the upper bound of the bucket it falls in:
 * coarse (about 1.5x steps) but identical wherever it is computed.
 */
public final class LatencyBuckets {

  /** Upper bounds in milliseconds; a last, open bucket holds everything slower. */
  static final long[] BOUNDS_MS = {1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1_000,
      1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000};
  static final int COUNT = BOUNDS_MS.length + 1;

  private LatencyBuckets() {}

  /** The bucket of a latency. */
  static int index(long nanos) {
    long ms = nanos / 1_000_000;
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      if (ms < BOUNDS_MS[i]) {
        return i;
      }
    }
    return BOUNDS_MS.length;
  }

  /**
   * The upper bound, in ms, of the bucket holding quantile {@code q} of {@code histogram}; -1 for
   * an empty histogram; the last bound for the open bucket.
   */
  static long quantile(long[] histogram, double q) {
    long total = 0;
    for (long n : histogram) {
      total += n;
    }
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank && histogram[i] > 0) {
        return BOUNDS_MS[Math.min(i, BOUNDS_MS.length - 1)];
      }
    }
    return BOUNDS_MS[BOUNDS_MS.length - 1];
  }
}
