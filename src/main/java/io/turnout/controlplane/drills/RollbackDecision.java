package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The decision to return traffic (the rollback step, or an abort): what, by whom, when and why. */
public record RollbackDecision(String decision, String reason, String by, long atMs) {

  JsonObject toJson() {
    return new JsonObject().put("decision", decision).put("reason", reason).put("by", by)
        .put("at", Instant.ofEpochMilli(atMs).toString()).put("at_ms", atMs);
  }

  static RollbackDecision fromJson(JsonObject json) {
    return json == null ? null : new RollbackDecision(json.getString("decision"), json.getString("reason"),
        json.getString("by"), json.getLong("at_ms"));
  }
}
