package io.turnout.controlplane.drills;

import io.turnout.controlplane.CommandRefusal;
import io.vertx.core.json.JsonObject;

/**
 * Reads drill commands off the bus ({@link DrillCommands#ADDRESS}). Only the shape is checked here
 * (a field of the wrong type is refused with its name); what a value means is the
 * {@link DrillMachine}'s and {@link DrillStart}'s to judge.
 */
final class DrillCommandParser {

  private DrillCommandParser() {}

  static DrillStart.Start start(JsonObject command, String defaultEnvironment) {
    String environment = text(command, "environment");
    return new DrillStart.Start(text(command, "operator"), text(command, "reason"),
        environment == null ? defaultEnvironment : environment, text(command, "tenant_or_cohort"),
        text(command, "model_alias"), text(command, "canary_version"), text(command, "internal_version"),
        text(command, "internal_cohort"));
  }

  static DrillCommand.Approve approve(JsonObject command) {
    Object cancel = command.getValue("cancel_in_flight");
    if (cancel != null && !(cancel instanceof Boolean)) {
      throw CommandRefusal.invalid("cancel_in_flight", "'cancel_in_flight' must be true or false");
    }
    return new DrillCommand.Approve(text(command, "expected_step"), text(command, "operator"),
        text(command, "reason"), Boolean.TRUE.equals(cancel));
  }

  static DrillCommand.Abort abort(JsonObject command) {
    return new DrillCommand.Abort(text(command, "operator"), text(command, "reason"));
  }

  static String id(JsonObject command) {
    String id = text(command, "id");
    if (id == null || id.isBlank()) {
      throw CommandRefusal.invalid("id", "'id' is required");
    }
    return id;
  }

  private static String text(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be a string");
    }
    return (String) value;
  }
}
