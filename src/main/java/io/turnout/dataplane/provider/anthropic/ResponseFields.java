package io.turnout.dataplane.provider.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * Typed reads of provider answers that fail with MALFORMED_RESPONSE naming the field, so a body or
 * event that breaks the contract is reported as such instead of as a {@code ClassCastException}.
 */
final class ResponseFields {

  private ResponseFields() {}

  static JsonObject object(JsonObject json, String key, String field) {
    Object v = json.getValue(key);
    if (v instanceof JsonObject o) {
      return o;
    }
    throw v == null ? AnthropicFailures.missingField(field) : AnthropicFailures.invalidField(field);
  }

  /** A string, possibly empty (text may legitimately be empty). */
  static String string(JsonObject json, String key, String field) {
    Object v = json.getValue(key);
    if (v instanceof String s) {
      return s;
    }
    throw v == null ? AnthropicFailures.missingField(field) : AnthropicFailures.invalidField(field);
  }

  /** A string that must carry a value, such as an id or a name. */
  static String nonBlank(JsonObject json, String key, String field) {
    String s = string(json, key, field);
    if (s.isBlank()) {
      throw AnthropicFailures.missingField(field);
    }
    return s;
  }
}
