package io.turnout.controlplane.drills;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;

/**
 * One scope a drill moves: the version it is drilled onto and the one it returns to.
 *
 * @param scope the scope
 * @param version the version under test (the canary version, or the internal cohort's version)
 * @param previous the version the scope served when the drill started, and returns to
 */
public record DrillScope(ScopeKey scope, String version, String previous) {

  /** The internal cohort's shape: {@code {scope, version, previous}}. */
  JsonObject toJson() {
    return new JsonObject().put("scope", scope.toJson()).put("version", version).put("previous", previous);
  }

  static DrillScope fromJson(JsonObject json) {
    return json == null ? null : new DrillScope(ScopeKey.fromJson(json.getJsonObject("scope")),
        json.getString("version"), json.getString("previous"));
  }
}
