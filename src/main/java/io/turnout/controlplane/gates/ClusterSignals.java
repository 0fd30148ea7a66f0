package io.turnout.controlplane.gates;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import io.turnout.dataplane.signals.SignalCounts;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.signals.SignalWindows;

/**
 * Every member's exported buckets added together: the cluster's traffic, which every member
 * evaluates identically. Built fresh each tick; read-only afterwards.
 */
public final class ClusterSignals {

  private final long bucketMs;
  private final Map<SignalKey, Map<Long, SignalCounts>> byKey = new HashMap<>();
  private final Map<String, Long> inFlight = new HashMap<>();
  private final Map<String, Boolean> pooled = new HashMap<>();
  private final java.util.Set<String> openBreakers = new java.util.TreeSet<>();
  private final java.util.List<JsonObject> disagreeing = new java.util.ArrayList<>();

  private ClusterSignals(long bucketMs) {
    this.bucketMs = bucketMs;
  }

  /**
   * Adds up members' {@link SignalWindows#export} outputs; an export with another bucket width
   * (a member configured differently) is skipped and counted in {@link #skipped()}.
   */
  public static ClusterSignals merge(long bucketMs, Collection<JsonObject> exports) {
    return merge(bucketMs, null, exports);
  }

  /**
   * Adds up members' exports like {@link #merge(long, Collection)}, and notes every member whose
   * gate settings ({@code settings}: bucket width and a digest of the rules) differ from
   * {@code settings}, so the disagreement can be shown rather than silently drop counts.
   */
  public static ClusterSignals merge(long bucketMs, JsonObject settings, Collection<JsonObject> exports) {
    ClusterSignals signals = new ClusterSignals(bucketMs);
    for (JsonObject export : exports) {
      JsonObject theirs = export.getJsonObject("settings");
      if (settings != null && theirs != null && !settings.equals(theirs)) {
        signals.disagreeing.add(new JsonObject().put("node", export.getString("node"))
            .put("bucket_ms", theirs.getValue("bucket_ms")).put("rules_digest", theirs.getValue("rules_digest")));
      }
      export.getJsonArray("open_breakers", new JsonArray()).forEach(p -> signals.openBreakers.add(String.valueOf(p)));
      if (export.getLong("bucket_ms", -1L) != bucketMs) {
        signals.skipped++;
        continue;
      }
      export.getJsonObject("in_flight", new JsonObject())
          .forEach(e -> signals.inFlight.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
      export.getJsonObject("pools", new JsonObject())
          .forEach(e -> signals.pooled.merge(e.getKey(), Boolean.TRUE.equals(e.getValue()), Boolean::logicalOr));
      JsonArray keys = export.getJsonArray("keys", new JsonArray());
      for (int i = 0; i < keys.size(); i++) {
        JsonObject entry = keys.getJsonObject(i);
        Map<Long, SignalCounts> buckets = signals.byKey.computeIfAbsent(SignalKey.fromJson(entry.getJsonObject("key")),
            k -> new HashMap<>());
        JsonArray list = entry.getJsonArray("buckets", new JsonArray());
        for (int j = 0; j < list.size(); j++) {
          JsonObject bucket = list.getJsonObject(j);
          buckets.computeIfAbsent(bucket.getLong("id"), id -> new SignalCounts())
              .add(SignalCounts.fromJson(bucket.getJsonObject("c")));
        }
      }
    }
    return signals;
  }

  private int skipped;

  /** Exports left out because their bucket width differed. */
  public int skipped() {
    return skipped;
  }

  /**
   * The sum over keys accepted by {@code filter}, over the buckets of the last {@code windowMs}
   * up to and including the bucket of {@code nowMs} (which is still filling).
   */
  public SignalCounts sum(Predicate<SignalKey> filter, long nowMs, long windowMs) {
    long last = nowMs / bucketMs;
    return sumBuckets(filter, last - Math.max(1, windowMs / bucketMs) + 1, last);
  }

  /**
   * The sum over keys accepted by {@code filter}, over the buckets that start at or after
   * {@code fromMs}'s bucket and at or before {@code toMs}'s: bucket-wide edges, so a span
   * shorter than a bucket still counts whole buckets.
   */
  public SignalCounts between(Predicate<SignalKey> filter, long fromMs, long toMs) {
    return sumBuckets(filter, fromMs / bucketMs, toMs / bucketMs);
  }

  /**
   * Each accepted key's own sum over the buckets from {@code fromMs}'s up to {@code toMs}'s, which
   * is left out unless {@code includeLast}: consecutive spans that share an edge and leave it out
   * never count a bucket twice (the edge's bucket belongs to the later span). Keys without counts
   * in the span are left out.
   */
  public Map<SignalKey, SignalCounts> perKey(Predicate<SignalKey> filter, long fromMs, long toMs,
      boolean includeLast) {
    long first = fromMs / bucketMs;
    long last = toMs / bucketMs - (includeLast ? 0 : 1);
    Map<SignalKey, SignalCounts> sums = new HashMap<>();
    byKey.forEach((key, buckets) -> {
      if (filter.test(key)) {
        SignalCounts sum = new SignalCounts();
        buckets.forEach((id, counts) -> {
          if (id >= first && id <= last) {
            sum.add(counts);
          }
        });
        if (!sum.isEmpty()) {
          sums.put(key, sum);
        }
      }
    });
    return sums;
  }

  /** Whether {@code provider}'s breaker was open on any member at its last export. */
  public boolean breakerOpenAnywhere(String provider) {
    return openBreakers.contains(provider);
  }

  /**
   * The members whose gate settings differ from this member's ({@code {node, bucket_ms,
   * rules_digest}} each): their verdicts differ from ours, and with another bucket width their
   * counts are left out of ours.
   */
  public java.util.List<JsonObject> disagreeing() {
    return java.util.Collections.unmodifiableList(disagreeing);
  }

  /** Attempts in flight per route version, summed over the members' last exports. */
  public Map<String, Long> inFlight() {
    return java.util.Collections.unmodifiableMap(inFlight);
  }


  /** Attempts started on {@code routeVersion} and not finished, on every member at its last export. */
  public long inFlight(String routeVersion) {
    return inFlight.getOrDefault(routeVersion, 0L);
  }

  /** Whether any member kept {@code provider}'s connection pools at its last export (null: nobody said). */
  public Boolean pooledAnywhere(String provider) {
    return pooled.get(provider);
  }

  private SignalCounts sumBuckets(Predicate<SignalKey> filter, long first, long last) {
    SignalCounts total = new SignalCounts();
    byKey.forEach((key, buckets) -> {
      if (filter.test(key)) {
        buckets.forEach((id, counts) -> {
          if (id >= first && id <= last) {
            total.add(counts);
          }
        });
      }
    });
    return total;
  }
}
