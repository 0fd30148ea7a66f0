package io.turnout.controlplane.routes;

import io.vertx.core.json.JsonObject;
import io.turnout.controlplane.CommandRefusal;

/**
 * Reads the fields of a command's JSON, refusing a missing or wrongly typed one with a
 * {@link CommandRefusal} that names its path. Unknown fields are ignored, as they always were on
 * the route commands' address, so a newer sender's extra field does not break an older member.
 */
final class CommandFields {

  private final JsonObject json;

  CommandFields(JsonObject json) {
    this.json = json;
  }

  /** A non-blank string. */
  String text(String key) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw CommandRefusal.invalid(key, "'" + key + "' is required");
    }
    return s;
  }

  /** A string, or null when absent. */
  String optText(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be a string");
    }
    return s;
  }

  /** The operator's reason: a non-blank string. */
  String reason() {
    if (!(json.getValue("reason") instanceof String s) || s.isBlank()) {
      throw CommandRefusal.invalid("reason", "a reason is required");
    }
    return s;
  }

  /** A whole number, or {@code fallback} when absent. */
  long optLong(String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be a whole number");
    }
    return n.longValue();
  }

  /** A whole number that must be present. */
  long requiredLong(String key) {
    if (json.getValue(key) == null) {
      throw CommandRefusal.invalid(key, "'" + key + "' is required");
    }
    return optLong(key, 0);
  }

  /** A boolean, or {@code fallback} when absent. */
  boolean optBool(String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be true or false");
    }
    return b;
  }

  /** A boolean that must be present. */
  boolean requiredBool(String key) {
    if (!(json.getValue(key) instanceof Boolean b)) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be true or false");
    }
    return b;
  }

  /** A number from 0 to 1, or null when absent. */
  Double optShare(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be a number from 0 to 1");
    }
    return n.doubleValue();
  }

  /** A JSON object, or null when absent. */
  JsonObject optObject(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o)) {
      throw CommandRefusal.invalid(key, "'" + key + "' must be an object");
    }
    return o;
  }
}
