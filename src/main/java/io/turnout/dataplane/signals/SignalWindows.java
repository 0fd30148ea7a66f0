package io.turnout.dataplane.signals;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This member's signals, in fixed time buckets per {@link SignalKey}, written by every event loop
 * as attempts finish and read by the gate evaluation once per tick. Buckets are aligned to the
 * epoch ({@code bucketId = millis / bucketMs}), so members' buckets add up by id. Each key has a
 * ring of slots covering the longest gate window; writing one is a map lookup and a short lock on
 * that key only.
 */
public final class SignalWindows {

  private final long bucketMs;
  private final int slots;
  private final long horizonMs;
  private final PriceTable prices;
  private final Map<SignalKey, KeyWindow> windows = new ConcurrentHashMap<>();
  /** Attempts started and not yet finished, per route version: what a drain check waits for. */
  private final Map<String, java.util.concurrent.atomic.LongAdder> inFlight = new ConcurrentHashMap<>();

  /**
   * @param bucketMs the bucket width
   * @param horizonMs the longest window any gate reads: older buckets are dropped
   * @param prices what a token costs, for the cost estimate
   */
  public SignalWindows(long bucketMs, long horizonMs, PriceTable prices) {
    this.bucketMs = bucketMs;
    this.horizonMs = horizonMs;
    this.slots = (int) (horizonMs / bucketMs) + 2;
    this.prices = prices;
  }

  public long bucketMs() {
    return bucketMs;
  }

  /** An attempt counted under {@code key} starts; {@link #attempt} records its end. */
  public void started(SignalKey key) {
    inFlight.computeIfAbsent(key.routeVersion(), v -> new java.util.concurrent.atomic.LongAdder()).increment();
  }

  /** Records one finished upstream attempt; {@code outcome} is null for a success. */
  public void attempt(SignalKey key, ErrorClass outcome, long nanos, boolean retry, boolean fallback, long nowMs) {
    java.util.concurrent.atomic.LongAdder running = inFlight.get(key.routeVersion());
    if (running != null) {
      running.decrement();
    }
    KeyWindow window = windows.computeIfAbsent(key, k -> new KeyWindow(slots));
    long startedMs = nowMs - nanos / 1_000_000;
    synchronized (window) {
      window.bucket(nowMs / bucketMs, nowMs).attempt(outcome, nanos, retry, fallback);
      // Also by the bucket it started in, while the ring still holds that bucket (drain checks).
      SignalCounts started = window.earlier(startedMs / bucketMs);
      if (started != null) {
        started.attemptsStarted++;
      }
    }
  }

  /** Records one answer and its usage; {@code providerModelId} prices it. */
  public void answer(SignalKey key, String providerModelId, Usage usage, long nowMs) {
    long cost = prices.costMicros(key.provider(), providerModelId, usage.promptTokens(), usage.completionTokens());
    KeyWindow window = windows.computeIfAbsent(key, k -> new KeyWindow(slots));
    synchronized (window) {
      window.bucket(nowMs / bucketMs, nowMs).answer(usage.source(), usage.promptTokens(), usage.completionTokens(),
          cost);
    }
  }

  /** Records an answer's output acceptance verdict. */
  public void acceptance(SignalKey key, boolean passed, long nowMs) {
    KeyWindow window = windows.computeIfAbsent(key, k -> new KeyWindow(slots));
    synchronized (window) {
      window.bucket(nowMs / bucketMs, nowMs).acceptance(passed);
    }
  }

  /**
   * This member's buckets within the horizon, as JSON for the other members:
   * {@code {bucket_ms, keys: [{key, buckets: [{id, counts}]}], in_flight: {route_version: n}}}. Keys idle for longer than the
   * horizon are dropped here.
   */
  public JsonObject export(long nowMs) {
    long oldest = (nowMs - horizonMs) / bucketMs;
    JsonArray keys = new JsonArray();
    windows.entrySet().removeIf(entry -> {
      KeyWindow window = entry.getValue();
      JsonArray buckets = new JsonArray();
      boolean idle;
      synchronized (window) {
        idle = window.lastWriteMs < nowMs - horizonMs;
        for (int i = 0; i < window.ids.length; i++) {
          if (window.ids[i] >= oldest && window.counts[i] != null && !window.counts[i].isEmpty()) {
            buckets.add(new JsonObject().put("id", window.ids[i]).put("c", window.counts[i].toJson()));
          }
        }
      }
      if (!buckets.isEmpty()) {
        keys.add(new JsonObject().put("key", entry.getKey().toJson()).put("buckets", buckets));
      }
      return idle;
    });
    JsonObject running = new JsonObject();
    inFlight.forEach((version, count) -> {
      long n = count.sum();
      if (n > 0) {
        running.put(version, n);
      }
    });
    return new JsonObject().put("bucket_ms", bucketMs).put("keys", keys).put("in_flight", running);
  }

  /** One key's ring of buckets; guarded by its own monitor. */
  private static final class KeyWindow {
    final long[] ids;
    final SignalCounts[] counts;
    long lastWriteMs;

    KeyWindow(int slots) {
      ids = new long[slots];
      counts = new SignalCounts[slots];
      java.util.Arrays.fill(ids, -1);
    }

    SignalCounts bucket(long id, long nowMs) {
      lastWriteMs = Math.max(lastWriteMs, nowMs);
      int slot = (int) Math.floorMod(id, (long) ids.length);
      if (ids[slot] != id) {
        ids[slot] = id;
        counts[slot] = new SignalCounts();
      }
      return counts[slot];
    }

    /** The bucket {@code id} if the ring holds it or its slot is older; null when it is older than the ring. */
    SignalCounts earlier(long id) {
      int slot = (int) Math.floorMod(id, (long) ids.length);
      if (ids[slot] == id) {
        return counts[slot];
      }
      if (ids[slot] > id) {
        return null;
      }
      ids[slot] = id;
      counts[slot] = new SignalCounts();
      return counts[slot];
    }
  }
}
