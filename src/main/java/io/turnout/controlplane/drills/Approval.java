package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One approved step and its outcome (the drill's {@code steps}; {@code evidence.approvals} shows
 * who approved what, when and why).
 *
 * @param step the step approved ({@code prepared} for the start, {@code aborted} for an abort)
 * @param operator who approved it (from the admin token), or {@code gate:<name>}
 * @param atMs when it was approved
 * @param passed whether the step passed
 * @param detail what the step did, or why it did not pass
 */
public record Approval(DrillStep step, String operator, String reason, long atMs, boolean passed, String detail) {

  JsonObject toJson() {
    return new JsonObject().put("step", step.wireName()).put("operator", operator).put("reason", reason)
        .put("at", Instant.ofEpochMilli(atMs).toString()).put("passed", passed).put("detail", detail);
  }

  static Approval fromJson(JsonObject json) {
    return new Approval(DrillStep.fromWireName(json.getString("step")), json.getString("operator"),
        json.getString("reason"), Instant.parse(json.getString("at")).toEpochMilli(),
        json.getBoolean("passed", false), json.getString("detail"));
  }
}
