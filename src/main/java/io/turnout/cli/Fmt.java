package io.turnout.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small renderings shared by the tables: scopes, shares, member ids, JSON lists. */
final class Fmt {

  private Fmt() {}

  /** {@code environment/tenant_or_cohort/model_alias} of a scope or pointer object. */
  static String scope(JsonObject scope) {
    if (scope == null) {
      return null;
    }
    return scope.getString("environment", "?") + "/" + scope.getString("tenant_or_cohort", "?") + "/"
        + scope.getString("model_alias", "?");
  }

  /** A share as a percentage ({@code 0.05} -> {@code 5%}). */
  static String share(Object share) {
    if (!(share instanceof Number n)) {
      return null;
    }
    double pct = n.doubleValue() * 100;
    return (pct == Math.rint(pct) ? String.valueOf((long) pct) : String.format(Locale.ROOT, "%.2f", pct)) + "%";
  }

  /** A number with at most four decimals. */
  static String number(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
          : String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
    }
    return value == null ? null : String.valueOf(value);
  }

  /** A member's name ({@code node.name}): stable and short, shown whole. */
  static String member(String id) {
    return id;
  }

  /** The strings of a JSON array (empty when absent). */
  static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> list.add(String.valueOf(o)));
    }
    return list;
  }

  /** The objects of a JSON array (empty when absent). */
  static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    if (array != null) {
      for (Object o : array) {
        if (o instanceof JsonObject j) {
          list.add(j);
        }
      }
    }
    return list;
  }

  /** A value for a table cell: lists and objects as compact JSON. */
  static String cell(Object value) {
    if (value instanceof JsonArray a) {
      return a.encode();
    }
    if (value instanceof JsonObject o) {
      return o.encode();
    }
    return number(value);
  }
}
