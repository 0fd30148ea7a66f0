package io.turnout.acceptance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a JSON value against the subset of JSON Schema that structured outputs use:
 * {@code type} (one or a list), {@code properties}, {@code required}, {@code additionalProperties:
 * false}, {@code items}, {@code enum}, {@code const}, {@code minLength}/{@code maxLength},
 * {@code minimum}/{@code maximum}, {@code minItems}/{@code maxItems}, {@code anyOf}. Keywords
 * outside the subset are ignored (never a false failure). Reports the first few problems with
 * their JSON paths, never the values themselves.
 */
final class JsonSchemaSubset {

  private static final int MAX_PROBLEMS = 5;

  private JsonSchemaSubset() {}

  /** The problems of {@code value} against {@code schema}; empty when it matches. */
  static List<String> validate(Object value, JsonObject schema) {
    List<String> problems = new ArrayList<>();
    check(value, schema, "$", problems);
    return problems;
  }

  private static void check(Object value, JsonObject schema, String path, List<String> problems) {
    if (schema == null || problems.size() >= MAX_PROBLEMS) {
      return;
    }
    if (schema.containsKey("anyOf")) {
      JsonArray options = schema.getJsonArray("anyOf");
      boolean any = false;
      for (int i = 0; i < options.size() && !any; i++) {
        any = validate(value, options.getJsonObject(i)).isEmpty();
      }
      if (!any) {
        problems.add(path + ": matches none of anyOf");
      }
    }
    Object type = schema.getValue("type");
    if (type != null && !typeMatches(value, type)) {
      problems.add(path + ": expected " + type + ", got " + typeOf(value));
      return;
    }
    if (schema.containsKey("enum") && !schema.getJsonArray("enum").contains(value)) {
      problems.add(path + ": not one of the enum values");
    }
    if (schema.containsKey("const") && !java.util.Objects.equals(schema.getValue("const"), value)) {
      problems.add(path + ": not the const value");
    }
    if (value instanceof JsonObject object) {
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      for (Object required : schema.getJsonArray("required", new JsonArray())) {
        if (!object.containsKey(String.valueOf(required))) {
          problems.add(path + ": missing required property '" + required + "'");
        }
      }
      for (Map.Entry<String, Object> field : object) {
        if (properties.containsKey(field.getKey())) {
          check(field.getValue(), properties.getJsonObject(field.getKey()), path + "." + field.getKey(), problems);
        } else if (Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
          problems.add(path + ": property '" + field.getKey() + "' is not allowed");
        }
      }
    } else if (value instanceof JsonArray array) {
      bound(array.size(), schema, "minItems", "maxItems", path, "items", problems);
      if (schema.getValue("items") instanceof JsonObject items) {
        for (int i = 0; i < array.size(); i++) {
          check(array.getValue(i), items, path + "[" + i + "]", problems);
        }
      }
    } else if (value instanceof String text) {
      bound(text.codePointCount(0, text.length()), schema, "minLength", "maxLength", path, "characters", problems);
    } else if (value instanceof Number number) {
      double v = number.doubleValue();
      if (schema.getValue("minimum") instanceof Number min && v < min.doubleValue()) {
        problems.add(path + ": below the minimum");
      }
      if (schema.getValue("maximum") instanceof Number max && v > max.doubleValue()) {
        problems.add(path + ": above the maximum");
      }
    }
  }

  private static void bound(long size, JsonObject schema, String minKey, String maxKey, String path, String unit,
      List<String> problems) {
    if (schema.getValue(minKey) instanceof Number min && size < min.longValue()) {
      problems.add(path + ": fewer than " + min + " " + unit);
    }
    if (schema.getValue(maxKey) instanceof Number max && size > max.longValue()) {
      problems.add(path + ": more than " + max + " " + unit);
    }
  }

  private static boolean typeMatches(Object value, Object type) {
    if (type instanceof JsonArray types) {
      for (Object t : types) {
        if (typeMatches(value, t)) {
          return true;
        }
      }
      return false;
    }
    String expected = String.valueOf(type);
    return switch (expected) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "integer" -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
      case "number" -> value instanceof Number;
      default -> true;
    };
  }

  private static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject) {
      return "object";
    }
    if (value instanceof JsonArray) {
      return "array";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    return "number";
  }
}
