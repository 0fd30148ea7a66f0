package io.turnout.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Writes the samples in the order they were taken, one nanosecond value a line, to study tails over time. */
  void writeTo(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      for (int i = 0; i < count; i++) {
        out.write(Long.toString(samples[i]));
        out.newLine();
      }
    }
  }

  /** Summarises what was recorded; sorts a copy, so recording may go on afterwards. */
  Summary summary() {
    return summary(0, count);
  }

  /** Summarises the samples recorded {@code from} (inclusive) {@code to} (exclusive), e.g. one batch. */
  Summary summary(int from, int to) {
    int end = Math.min(to, count);
    if (end <= from) {
      return new Summary(0, 0, 0, 0, 0, 0, 0, 0);
    }
    long[] sorted = Arrays.copyOfRange(samples, from, end);
    Arrays.sort(sorted);
    int n = sorted.length;
    long sum = 0;
    for (long s : sorted) {
      sum += s;
    }
    return new Summary(n, sorted[0], rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
        rank(sorted, 0.999), sorted[n - 1], (double) sum / n);
  }

  /** Nearest rank: the smallest sample with at least {@code q} of all samples at or below it. */
  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
