package io.turnout.dataplane.provider.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of a client request that fail with a VALIDATION failure naming the field path,
 * instead of the {@code ClassCastException} a plain {@code JsonObject} getter would throw.
 */
final class RequestFields {

  private RequestFields() {}

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String path(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** A string or null when absent or JSON null. */
  static String optString(JsonObject o, String key, String parent) {
    Object v = o.getValue(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw AnthropicFailures.invalid(path(parent, key), path(parent, key) + " must be a string");
  }

  /** A non-blank string. */
  static String reqString(JsonObject o, String key, String parent) {
    String s = optString(o, key, parent);
    if (s == null || s.isBlank()) {
      throw AnthropicFailures.invalid(path(parent, key), "missing " + path(parent, key));
    }
    return s;
  }

  /** An object or null when absent or JSON null. */
  static JsonObject optObject(JsonObject o, String key, String parent) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonObject) {
      return (JsonObject) v;
    }
    throw AnthropicFailures.invalid(path(parent, key), path(parent, key) + " must be an object");
  }

  /** An array or null when absent or JSON null. */
  static JsonArray optArray(JsonObject o, String key, String parent) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonArray) {
      return (JsonArray) v;
    }
    throw AnthropicFailures.invalid(path(parent, key), path(parent, key) + " must be an array");
  }

  /** The element of an array that must hold objects. */
  static JsonObject objectAt(JsonArray a, int index, String arrayPath) {
    Object v = a.getValue(index);
    if (v instanceof JsonObject o) {
      return o;
    }
    throw AnthropicFailures.invalid(path(arrayPath, index), path(arrayPath, index) + " must be an object");
  }

  /** A positive integer or null when absent or JSON null. */
  static Long optPositiveInteger(JsonObject o, String key, String parent) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() > 0) {
      return ((Number) v).longValue();
    }
    throw AnthropicFailures.invalid(path(parent, key), path(parent, key) + " must be a positive integer");
  }
}
