package io.turnout.dataplane.signals;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.UsageSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The counters of one time bucket (or of a sum of buckets): attempts and their outcomes by
 * failure class, a latency histogram, retries, fallbacks, answers and their usage. Mutable and
 * not thread-safe: {@link SignalWindows} guards the ones being written.
 */
public final class SignalCounts {

  private static final ErrorClass[] CLASSES = ErrorClass.values();

  long attempts;
  long requests;
  final long[] failures = new long[CLASSES.length];
  final long[] latency = new long[LatencyBuckets.COUNT];
  long retries;
  long fallbacks;
  long answers;
  long providerUsage;
  long promptTokens;
  long completionTokens;
  long costMicros;
  long acceptanceChecked;
  long acceptanceFailures;
  /** Attempts that started in this bucket (counted when they end): what a drain check judges. */
  long attemptsStarted;

  void attempt(ErrorClass outcome, long nanos, boolean retry, boolean fallback) {
    attempts++;
    if (!retry && !fallback) {
      // A request's first attempt on this route (a canary's first attempt is on the fallback role).
      requests++;
    }
    if (outcome != null) {
      failures[outcome.ordinal()]++;
    }
    latency[LatencyBuckets.index(nanos)]++;
    if (retry) {
      retries++;
    }
    if (fallback) {
      fallbacks++;
    }
  }

  void answer(UsageSource source, long prompt, long completion, long cost) {
    answers++;
    if (source == UsageSource.PROVIDER) {
      providerUsage++;
    }
    promptTokens += prompt;
    completionTokens += completion;
    costMicros += cost;
  }

  void acceptance(boolean passed) {
    acceptanceChecked++;
    if (!passed) {
      acceptanceFailures++;
    }
  }

  /** Adds {@code other} into this. */
  public void add(SignalCounts other) {
    attempts += other.attempts;
    requests += other.requests;
    for (int i = 0; i < failures.length; i++) {
      failures[i] += other.failures[i];
    }
    for (int i = 0; i < latency.length; i++) {
      latency[i] += other.latency[i];
    }
    retries += other.retries;
    fallbacks += other.fallbacks;
    answers += other.answers;
    providerUsage += other.providerUsage;
    promptTokens += other.promptTokens;
    completionTokens += other.completionTokens;
    costMicros += other.costMicros;
    acceptanceChecked += other.acceptanceChecked;
    acceptanceFailures += other.acceptanceFailures;
    attemptsStarted += other.attemptsStarted;
  }

  /**
   * Attempts counted by the bucket they started in (each is counted once it ends): an attempt
   * that started before a rollback and ended after it is not an attempt started after it.
   */
  public long attemptsStarted() {
    return attemptsStarted;
  }

  public long attempts() {
    return attempts;
  }

  /** Requests whose first attempt was counted here (neither a retry nor a fallback). */
  public long requests() {
    return requests;
  }

  public long failures(ErrorClass errorClass) {
    return failures[errorClass.ordinal()];
  }

  /** Failed attempts of every class but a caller's own cancellation. */
  public long failures() {
    long sum = 0;
    for (ErrorClass c : CLASSES) {
      if (c != ErrorClass.CLIENT_CANCELLED) {
        sum += failures[c.ordinal()];
      }
    }
    return sum;
  }

  public long retries() {
    return retries;
  }

  public long fallbacks() {
    return fallbacks;
  }

  public long answers() {
    return answers;
  }

  /** Answers whose usage came from the provider's own fields. */
  public long providerUsage() {
    return providerUsage;
  }

  public long tokens() {
    return promptTokens + completionTokens;
  }

  public long promptTokens() {
    return promptTokens;
  }

  public long completionTokens() {
    return completionTokens;
  }

  /** Answers judged by output acceptance checks. */
  public long acceptanceChecked() {
    return acceptanceChecked;
  }

  /** Answers that failed an output acceptance check. */
  public long acceptanceFailures() {
    return acceptanceFailures;
  }

  /** Estimated cost in US dollars, from the price table. */
  public double costUsd() {
    return costMicros / 1_000_000.0;
  }

  /** The latency, in ms (bucket upper bound), below which share {@code q} of attempts finished; -1 when none. */
  public long latencyQuantileMs(double q) {
    return LatencyBuckets.quantile(latency, q);
  }

  /** Whether nothing was counted. */
  public boolean isEmpty() {
    return attempts == 0 && answers == 0 && acceptanceChecked == 0 && attemptsStarted == 0;
  }

  /** A compact JSON form for sharing with other members (zeros left out). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIfNonZero(json, "n", attempts);
    putIfNonZero(json, "q", requests);
    JsonObject byClass = new JsonObject();
    for (ErrorClass c : CLASSES) {
      if (failures[c.ordinal()] != 0) {
        byClass.put(c.wireName(), failures[c.ordinal()]);
      }
    }
    if (!byClass.isEmpty()) {
      json.put("e", byClass);
    }
    JsonArray hist = new JsonArray();
    for (int i = 0; i < latency.length; i++) {
      if (latency[i] != 0) {
        hist.add(new JsonArray().add(i).add(latency[i]));
      }
    }
    if (!hist.isEmpty()) {
      json.put("l", hist);
    }
    putIfNonZero(json, "r", retries);
    putIfNonZero(json, "f", fallbacks);
    putIfNonZero(json, "a", answers);
    putIfNonZero(json, "u", providerUsage);
    putIfNonZero(json, "pt", promptTokens);
    putIfNonZero(json, "ct", completionTokens);
    putIfNonZero(json, "c", costMicros);
    putIfNonZero(json, "ac", acceptanceChecked);
    putIfNonZero(json, "af", acceptanceFailures);
    putIfNonZero(json, "s", attemptsStarted);
    return json;
  }

  /** Reads {@link #toJson()}; unknown classes and out-of-range buckets are ignored. */
  public static SignalCounts fromJson(JsonObject json) {
    SignalCounts counts = new SignalCounts();
    counts.attempts = json.getLong("n", 0L);
    counts.requests = json.getLong("q", 0L);
    JsonObject byClass = json.getJsonObject("e", new JsonObject());
    for (ErrorClass c : CLASSES) {
      counts.failures[c.ordinal()] = byClass.getLong(c.wireName(), 0L);
    }
    JsonArray hist = json.getJsonArray("l", new JsonArray());
    for (int i = 0; i < hist.size(); i++) {
      JsonArray pair = hist.getJsonArray(i);
      int index = pair.getInteger(0);
      if (index >= 0 && index < counts.latency.length) {
        counts.latency[index] = pair.getLong(1);
      }
    }
    counts.retries = json.getLong("r", 0L);
    counts.fallbacks = json.getLong("f", 0L);
    counts.answers = json.getLong("a", 0L);
    counts.providerUsage = json.getLong("u", 0L);
    counts.promptTokens = json.getLong("pt", 0L);
    counts.completionTokens = json.getLong("ct", 0L);
    counts.costMicros = json.getLong("c", 0L);
    counts.acceptanceChecked = json.getLong("ac", 0L);
    counts.acceptanceFailures = json.getLong("af", 0L);
    counts.attemptsStarted = json.getLong("s", 0L);
    return counts;
  }

  private static void putIfNonZero(JsonObject json, String key, long value) {
    if (value != 0) {
      json.put(key, value);
    }
  }
}
