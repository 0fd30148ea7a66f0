package io.turnout.routes;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.dataplane.provider.ErrorClass;
import io.vertx.core.json.JsonArray;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Reads and writes the error-class lists of {@code retry_policy.retry_on} and {@code fallback_on}. */
public final class ErrorClasses {

  /**
   * Classes that another attempt cannot fix ({@link ErrorClass#transientFailure()} false), so no
   * config may retry or fall back on them.
   */
  static final Set<ErrorClass> NEVER = classes(false);

  /** The transient classes ({@link ErrorClass#transientFailure()}), the default of both lists. */
  static final Set<ErrorClass> TRANSIENT = classes(true);

  private ErrorClasses() {}

  private static Set<ErrorClass> classes(boolean transientFailure) {
    EnumSet<ErrorClass> set = EnumSet.noneOf(ErrorClass.class);
    for (ErrorClass c : ErrorClass.values()) {
      if (c.transientFailure() == transientFailure) {
        set.add(c);
      }
    }
    return Collections.unmodifiableSet(set);
  }

  /** Reads a list of wire names; absent means {@code defaults}. */
  static Set<ErrorClass> read(ConfigNode node, String key, Set<ErrorClass> defaults) {
    if (!node.has(key)) {
      node.raw(key);
      return defaults;
    }
    List<String> names = node.stringList(key);
    EnumSet<ErrorClass> result = EnumSet.noneOf(ErrorClass.class);
    for (int i = 0; i < names.size(); i++) {
      String at = node.pathOf(key) + "[" + i + "]";
      ErrorClass c;
      try {
        c = ErrorClass.fromWireName(names.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(node.file(), at, "unknown error class '" + names.get(i) + "'");
      }
      if (NEVER.contains(c)) {
        throw new ConfigException(node.file(), at, "'" + c.wireName()
            + "' is never retried or failed over: another attempt cannot fix it (allowed: " + names(TRANSIENT) + ")");
      }
      result.add(c);
    }
    return Collections.unmodifiableSet(result);
  }

  /** An immutable copy in enum order; throws IllegalArgumentException on a class from {@link #NEVER}. */
  static Set<ErrorClass> checkedCopy(Collection<ErrorClass> classes, String what) {
    EnumSet<ErrorClass> copy = EnumSet.noneOf(ErrorClass.class);
    copy.addAll(classes);
    for (ErrorClass c : copy) {
      if (NEVER.contains(c)) {
        throw new IllegalArgumentException(what + " must not contain " + c.wireName());
      }
    }
    return Collections.unmodifiableSet(copy);
  }

  /** The classes as wire names, in enum order. */
  public static JsonArray toJson(Set<ErrorClass> classes) {
    JsonArray array = new JsonArray();
    for (ErrorClass c : ErrorClass.values()) {
      if (classes.contains(c)) {
        array.add(c.wireName());
      }
    }
    return array;
  }

  private static String names(Set<ErrorClass> classes) {
    return String.join(", ", classes.stream().map(ErrorClass::wireName).toList());
  }
}
