package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The time a drill spent in one step, with the cluster's signals of its scopes over it.
 *
 * @param counts {@code {"<route_version>|<role>|<provider>": counts}} in the signals' wire form
 *     ({@link io.turnout.dataplane.signals.SignalCounts#toJson()}); the admin view renders them with names
 */
public record Phase(DrillStep step, long fromMs, long toMs, JsonObject counts) {

  JsonObject toJson() {
    return new JsonObject().put("step", step.wireName()).put("from", Instant.ofEpochMilli(fromMs).toString())
        .put("to", Instant.ofEpochMilli(toMs).toString()).put("from_ms", fromMs).put("to_ms", toMs)
        .put("counts", counts.copy());
  }

  static Phase fromJson(JsonObject json) {
    return new Phase(DrillStep.fromWireName(json.getString("step")), json.getLong("from_ms"), json.getLong("to_ms"),
        json.getJsonObject("counts", new JsonObject()));
  }
}
