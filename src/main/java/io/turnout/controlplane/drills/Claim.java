package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A member's hold on a drill while one of its steps runs: other commands are refused until it is
 * released, or until it is older than any step can last (its member died mid-step).
 *
 * @param by the member holding it (null for a claim written by an older member)
 * @param sinceMs when it was taken
 * @param from the status the drill had before ({@code awaiting_approval} or {@code blocked})
 */
public record Claim(String by, long sinceMs, DrillStatus from) {

  /** Longer than any step can run (a probe run is bounded by 10 minutes). */
  static final long STALE_MS = 15 * 60_000L;

  long expiresAtMs() {
    return sinceMs + STALE_MS;
  }

  boolean staleAt(long nowMs) {
    return nowMs >= expiresAtMs();
  }

  String expiresAt() {
    return Instant.ofEpochMilli(expiresAtMs()).toString();
  }

  /** Written into the drill's own object: {@code running_since_ms, claimed_from, claimed_by, claim_expires_at}. */
  void putInto(JsonObject drill) {
    drill.put("running_since_ms", sinceMs).put("claimed_from", from.wireName()).put("claimed_by", by)
        .put("claim_expires_at", expiresAt());
  }

  static Claim fromDrill(JsonObject drill) {
    if (!drill.containsKey("running_since_ms")) {
      return null;
    }
    return new Claim(drill.getString("claimed_by"), drill.getLong("running_since_ms"),
        DrillStatus.fromWireName(drill.getString("claimed_from", DrillStatus.AWAITING_APPROVAL.wireName())));
  }
}
