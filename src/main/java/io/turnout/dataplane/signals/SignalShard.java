package io.turnout.dataplane.signals;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One writer's share of the signal windows (one per event loop): a ring of time buckets per
 * {@link SignalKey}, written only by its own thread and read by the gate tick, which adds the
 * shards together. Its monitor is shared by that one writer and the reader only, never by two
 * event loops.
 */
final class SignalShard {

  private final long bucketMs;
  private final int slots;
  private final Map<SignalKey, KeyWindow> windows = new HashMap<>();

  SignalShard(long bucketMs, int slots) {
    this.bucketMs = bucketMs;
    this.slots = slots;
  }

  /** Adds one attempt's signals: one map lookup and one bucket. */
  synchronized void record(AttemptSignals signals) {
    KeyWindow window = windows.get(signals.key);
    if (window == null) {
      window = new KeyWindow(slots);
      windows.put(signals.key, window);
    }
    signals.addTo(window.bucket(signals.endMs / bucketMs, signals.endMs));
    if (signals.isAttempt()) {
      // Also by the bucket it started in, while the ring still holds that bucket (drain checks).
      SignalCounts started = window.earlier(signals.startedMs() / bucketMs);
      if (started != null) {
        started.attemptsStarted++;
      }
    }
  }

  /**
   * Adds copies of this shard's buckets from {@code oldest} on into {@code into} (key, then bucket
   * id), and drops keys last written before {@code idleBeforeMs}.
   */
  synchronized void addTo(Map<SignalKey, Map<Long, SignalCounts>> into, long oldest, long idleBeforeMs) {
    for (Iterator<Map.Entry<SignalKey, KeyWindow>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<SignalKey, KeyWindow> entry = it.next();
      KeyWindow window = entry.getValue();
      for (int i = 0; i < window.ids.length; i++) {
        if (window.ids[i] >= oldest && window.counts[i] != null && !window.counts[i].isEmpty()) {
          into.computeIfAbsent(entry.getKey(), k -> new java.util.TreeMap<>())
              .computeIfAbsent(window.ids[i], id -> new SignalCounts()).add(window.counts[i]);
        }
      }
      if (window.lastWriteMs < idleBeforeMs) {
        it.remove();
      }
    }
  }

  /** One key's ring of buckets. */
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
