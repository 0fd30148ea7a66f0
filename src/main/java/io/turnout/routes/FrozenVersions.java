package io.turnout.routes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** Finds where a frozen route version was changed in place, so the refusal can name the field. */
final class FrozenVersions {

  private FrozenVersions() {}

  /**
   * The path of the first field that differs between two version records in file shape
   * ({@code timeout_ms}, {@code enabled_features.primary[0]}), or "" when they are equal.
   */
  static String firstDifference(JsonObject before, JsonObject after) {
    Set<String> keys = new LinkedHashSet<>(after.fieldNames());
    keys.addAll(before.fieldNames());
    for (String key : keys) {
      String inner = difference(before.getValue(key), after.getValue(key));
      if (inner != null) {
        return inner.isEmpty() ? key : key + (inner.startsWith("[") ? "" : ".") + inner;
      }
    }
    return "";
  }

  /** Null when equal; "" when the values differ as a whole; else the path inside them. */
  private static String difference(Object before, Object after) {
    if (Objects.equals(before, after)) {
      return null;
    }
    if (before instanceof JsonObject a && after instanceof JsonObject b) {
      String inner = firstDifference(a, b);
      return inner.isEmpty() ? "" : inner;
    }
    if (before instanceof JsonArray a && after instanceof JsonArray b) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        String inner = difference(i < a.size() ? a.getValue(i) : null, i < b.size() ? b.getValue(i) : null);
        if (inner != null) {
          return "[" + i + "]" + (inner.isEmpty() || inner.startsWith("[") ? inner : "." + inner);
        }
      }
    }
    return "";
  }
}
