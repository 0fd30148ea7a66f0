package io.turnout.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict, path-aware reader over one object of a parsed config file.
 *
 * <p>Every accessor names the field path in its error, and {@link #finish()} rejects any key that
 * no accessor asked for, so a typo ({@code timout_ms}) is an error instead of a silently ignored
 * default. Parsing code reads the fields it knows, then calls {@code finish()}.
 */
public final class ConfigNode {

  private final String file;
  private final String path;
  private final JsonObject json;
  private final Set<String> read = new HashSet<>();

  public ConfigNode(String file, String path, JsonObject json) {
    this.file = file;
    this.path = path;
    this.json = json == null ? new JsonObject() : json;
  }

  /** The root of a file. */
  public static ConfigNode root(String file, JsonObject json) {
    return new ConfigNode(file, "", json);
  }

  public String file() {
    return file;
  }

  public String path() {
    return path;
  }

  /** The path of a field of this object. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** An error located at a field of this object. */
  public ConfigException error(String key, String reason) {
    return new ConfigException(file, pathOf(key), reason);
  }

  /** An error located at this object itself. */
  public ConfigException error(String reason) {
    return new ConfigException(file, path, reason);
  }

  /** The keys of this object, in file order. */
  public java.util.List<String> keys() {
    return new ArrayList<>(json.fieldNames());
  }

  public boolean has(String key) {
    return json.containsKey(key) && json.getValue(key) != null;
  }

  public String string(String key) {
    String value = optString(key, null);
    if (value == null) {
      throw error(key, "is required");
    }
    return value;
  }

  public String optString(String key, String defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String s)) {
      throw error(key, "must be a string, got " + typeName(value));
    }
    if (s.isBlank()) {
      throw error(key, "must not be empty");
    }
    return s;
  }

  public int intValue(String key, int defaultValue, int min, int max) {
    long value = longValue(key, defaultValue, min, max);
    return (int) value;
  }

  public int intValue(String key, int min, int max) {
    if (!has(key)) {
      throw error(key, "is required");
    }
    return intValue(key, 0, min, max);
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number n) || value instanceof Double || value instanceof Float) {
      throw error(key, "must be an integer, got " + typeName(value));
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw error(key, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public double doubleValue(String key, double defaultValue, double min, double max) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number n)) {
      throw error(key, "must be a number, got " + typeName(value));
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw error(key, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public boolean bool(String key, boolean defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw error(key, "must be true or false, got " + typeName(value));
    }
    return b;
  }

  /** An enum read from its lower-case name via {@code parse}, which throws IllegalArgumentException on others. */
  public <E> E enumValue(String key, E defaultValue, Function<String, E> parse, String allowed) {
    String value = optString(key, null);
    if (value == null) {
      if (defaultValue == null) {
        throw error(key, "is required (one of " + allowed + ")");
      }
      return defaultValue;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw error(key, "must be one of " + allowed + ", got '" + value + "'");
    }
  }

  /** A nested object; an absent key yields an empty node (so optional sections read their defaults). */
  public ConfigNode child(String key) {
    Object value = raw(key);
    if (value == null) {
      return new ConfigNode(file, pathOf(key), new JsonObject());
    }
    if (!(value instanceof JsonObject o)) {
      throw error(key, "must be a mapping, got " + typeName(value));
    }
    return new ConfigNode(file, pathOf(key), o);
  }

  /** A mapping of name to object, in file order (e.g. {@code providers: {primary: {...}}}). */
  public Map<String, ConfigNode> children(String key) {
    ConfigNode parent = child(key);
    Map<String, ConfigNode> result = new LinkedHashMap<>();
    for (String name : parent.json.fieldNames()) {
      result.put(name, parent.child(name));
    }
    return result;
  }

  /** A list of objects. */
  public List<ConfigNode> list(String key) {
    Object value = raw(key);
    List<ConfigNode> result = new ArrayList<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof JsonArray array)) {
      throw error(key, "must be a list, got " + typeName(value));
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String itemPath = pathOf(key) + "[" + i + "]";
      if (!(item instanceof JsonObject o)) {
        throw new ConfigException(file, itemPath, "must be a mapping, got " + typeName(item));
      }
      result.add(new ConfigNode(file, itemPath, o));
    }
    return result;
  }

  /** A list of strings. */
  public List<String> stringList(String key) {
    Object value = raw(key);
    List<String> result = new ArrayList<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof JsonArray array)) {
      throw error(key, "must be a list, got " + typeName(value));
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String s) || s.isBlank()) {
        throw new ConfigException(file, pathOf(key) + "[" + i + "]", "must be a non-empty string");
      }
      result.add(s);
    }
    return result;
  }

  /** A mapping of string to string (e.g. extra headers). */
  public Map<String, String> stringMap(String key) {
    ConfigNode parent = child(key);
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : parent.json.fieldNames()) {
      result.put(name, parent.string(name));
    }
    parent.finish();
    return result;
  }

  /** The raw JSON of a field (for pass-through sections such as simulator scripts); marks it read. */
  public Object raw(String key) {
    read.add(key);
    return json.getValue(key);
  }

  /** Rejects every key of this object that no accessor read. Call once all known fields are read. */
  public void finish() {
    for (String key : json.fieldNames()) {
      if (!read.contains(key)) {
        throw error(key, "unknown field");
      }
    }
  }

  private static String typeName(Object value) {
    if (value instanceof JsonObject) {
      return "a mapping";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return value.getClass().getSimpleName();
  }
}
