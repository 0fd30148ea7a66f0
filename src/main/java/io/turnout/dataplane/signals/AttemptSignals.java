package io.turnout.dataplane.signals;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;

/**
 * Everything one finished upstream attempt adds to the signal windows: its outcome and latency,
 * and for an answer its usage and cost and, once judged, its acceptance verdict. Built as the
 * attempt ends and written in one {@link SignalWindows#record}; not thread-safe (one request's
 * context fills it).
 */
public final class AttemptSignals {

  final SignalKey key;
  final ErrorClass outcome;
  final long nanos;
  final boolean retry;
  final boolean fallback;
  final long endMs;
  private final boolean attempt;
  private boolean answered;
  private Usage usage;
  private long costMicros;
  private int acceptance;

  /**
   * @param outcome null for a success
   * @param endMs when the attempt ended: the bucket it is counted in
   */
  public AttemptSignals(SignalKey key, ErrorClass outcome, long nanos, boolean retry, boolean fallback, long endMs) {
    this.key = key;
    this.outcome = outcome;
    this.nanos = nanos;
    this.retry = retry;
    this.fallback = fallback;
    this.endMs = endMs;
    this.attempt = true;
  }

  private AttemptSignals(SignalKey key, long atMs) {
    this.key = key;
    this.outcome = null;
    this.nanos = 0;
    this.retry = false;
    this.fallback = false;
    this.endMs = atMs;
    this.attempt = false;
  }

  /** Signals of {@code key} at {@code atMs} that count no attempt: an answer or a verdict on its own. */
  public static AttemptSignals without(SignalKey key, long atMs) {
    return new AttemptSignals(key, atMs);
  }

  public SignalKey key() {
    return key;
  }

  /** The attempt answered with {@code usage}, priced by {@code prices} for {@code providerModelId}. */
  public AttemptSignals answered(PriceTable prices, String providerModelId, Usage usage) {
    this.answered = true;
    this.usage = usage;
    this.costMicros = prices.costMicros(key.provider(), providerModelId, usage.promptTokens(),
        usage.completionTokens());
    return this;
  }

  /** The answer's output acceptance verdict. */
  public AttemptSignals accepted(boolean passed) {
    this.acceptance = passed ? 1 : -1;
    return this;
  }

  /** Adds this attempt to {@code counts}, the bucket it ended in. */
  void addTo(SignalCounts counts) {
    if (attempt) {
      counts.attempt(outcome, nanos, retry, fallback);
    }
    if (answered) {
      counts.answer(usage.source(), usage.promptTokens(), usage.completionTokens(), costMicros);
    }
    if (acceptance != 0) {
      counts.acceptance(acceptance > 0);
    }
  }

  /** Whether it counts an attempt (not an answer or a verdict on its own). */
  boolean isAttempt() {
    return attempt;
  }

  /** When the attempt started, in ms: also counted in that bucket (drain checks). */
  long startedMs() {
    return endMs - nanos / 1_000_000;
  }
}
