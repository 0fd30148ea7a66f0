package io.turnout.dataplane.signals;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * This member's signals, in fixed time buckets per {@link SignalKey}, written by every event loop
 * as attempts finish and read by the gate evaluation once per tick. Buckets are aligned to the
 * epoch ({@code bucketId = millis / bucketMs}), so members' buckets add up by id (and so do the
 * shards of one member). Each writing thread has its own {@link SignalShard}: an attempt's signals
 * are one write there, under a monitor no other event loop takes; {@link #export} adds the shards.
 */
public final class SignalWindows {

  private final long bucketMs;
  private final int slots;
  private final long horizonMs;
  private final PriceTable prices;
  private final List<SignalShard> shards = new CopyOnWriteArrayList<>();
  private final ThreadLocal<SignalShard> shard = ThreadLocal.withInitial(this::newShard);
  /** Attempts started and not yet recorded, per route version: what a drain check waits for. */
  private final Map<String, LongAdder> inFlight = new ConcurrentHashMap<>();

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

  /** What a token costs here, to price an {@link AttemptSignals#answered answer}. */
  public PriceTable prices() {
    return prices;
  }

  /** An attempt counted under {@code key} starts; {@link #record} of its end ends it. */
  public void started(SignalKey key) {
    LongAdder running = inFlight.get(key.routeVersion());
    if (running == null) {
      running = inFlight.computeIfAbsent(key.routeVersion(), v -> new LongAdder());
    }
    running.increment();
  }

  /**
   * Writes one attempt's signals (outcome, usage, verdict) in one go into this thread's shard; an
   * attempt's end also stops counting it in flight, once it is counted.
   */
  public void record(AttemptSignals signals) {
    shard.get().record(signals);
    if (signals.isAttempt()) {
      LongAdder running = inFlight.get(signals.key.routeVersion());
      if (running != null) {
        running.decrement();
      }
    }
  }

  /** Records one finished upstream attempt alone; {@code outcome} is null for a success. */
  public void attempt(SignalKey key, ErrorClass outcome, long nanos, boolean retry, boolean fallback, long nowMs) {
    record(new AttemptSignals(key, outcome, nanos, retry, fallback, nowMs));
  }

  /** Records one answer and its usage on its own; {@code providerModelId} prices it. */
  public void answer(SignalKey key, String providerModelId, Usage usage, long nowMs) {
    record(AttemptSignals.without(key, nowMs).answered(prices, providerModelId, usage));
  }

  /** Records an answer's output acceptance verdict on its own. */
  public void acceptance(SignalKey key, boolean passed, long nowMs) {
    record(AttemptSignals.without(key, nowMs).accepted(passed));
  }

  /**
   * This member's buckets within the horizon (every shard's added up), as JSON for the other
   * members: {@code {bucket_ms, keys: [{key, buckets: [{id, counts}]}], in_flight: {route_version: n}}}.
   * Keys idle for longer than the horizon are dropped here.
   */
  public JsonObject export(long nowMs) {
    long oldest = (nowMs - horizonMs) / bucketMs;
    Map<SignalKey, Map<Long, SignalCounts>> merged = new LinkedHashMap<>();
    for (SignalShard s : shards) {
      s.addTo(merged, oldest, nowMs - horizonMs);
    }
    JsonArray keys = new JsonArray();
    merged.forEach((key, byId) -> {
      JsonArray buckets = new JsonArray();
      byId.forEach((id, counts) -> buckets.add(new JsonObject().put("id", id).put("c", counts.toJson())));
      keys.add(new JsonObject().put("key", key.toJson()).put("buckets", buckets));
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

  private SignalShard newShard() {
    SignalShard created = new SignalShard(bucketMs, slots);
    shards.add(created);
    return created;
  }
}
