package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * How a drill was aborted.
 *
 * @param by the operator, or {@code gate:<name>}
 * @param during the step the drill was at
 * @param traffic what happened to traffic (returned, or left where a gate put it)
 */
public record AbortRecord(String by, String reason, long atMs, DrillStep during, String traffic) {

  JsonObject toJson() {
    return new JsonObject().put("by", by).put("reason", reason).put("at", Instant.ofEpochMilli(atMs).toString())
        .put("during", during.wireName()).put("traffic", traffic);
  }

  static AbortRecord fromJson(JsonObject json) {
    return json == null ? null : new AbortRecord(json.getString("by"), json.getString("reason"),
        Instant.parse(json.getString("at")).toEpochMilli(), DrillStep.fromWireName(json.getString("during")),
        json.getString("traffic"));
  }
}
