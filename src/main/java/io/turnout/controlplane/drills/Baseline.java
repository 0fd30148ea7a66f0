package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonObject;

/**
 * The drill's scopes' error rate before it started, what the clean-rollback check compares with.
 *
 * @param measured whether there were at least {@code min_samples} attempts (else the rate is taken as 0)
 */
public record Baseline(long windowMs, long attempts, double errorRate, boolean measured) {

  JsonObject toJson() {
    return new JsonObject().put("window_ms", windowMs).put("attempts", attempts).put("error_rate", errorRate)
        .put("measured", measured);
  }

  static Baseline fromJson(JsonObject json) {
    return new Baseline(json.getLong("window_ms", 0L), json.getLong("attempts", 0L),
        json.getDouble("error_rate", 0.0), json.getBoolean("measured", false));
  }
}
