package io.turnout.controlplane.drills;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;

/** One traffic move a drill made through the route control plane, as its audit entry answered. */
public record RouteChange(String time, ScopeKey scope, String from, String to, String operator, DrillStep step,
    Long revision) {

  JsonObject toJson() {
    return new JsonObject().put("time", time).put("scope", scope.toJson()).put("from", from).put("to", to)
        .put("operator", operator).put("step", step.wireName()).put("revision", revision);
  }

  static RouteChange fromJson(JsonObject json) {
    return new RouteChange(json.getString("time"), ScopeKey.fromJson(json.getJsonObject("scope")),
        json.getString("from"), json.getString("to"), json.getString("operator"),
        DrillStep.fromWireName(json.getString("step")), json.getLong("revision"));
  }
}
