package io.turnout.routes;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.vertx.core.json.JsonArray;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Immutable feature sets in enum order, read from and written to config lists. */
public final class FeatureSets {

  private FeatureSets() {}

  /** An immutable copy that iterates in enum order (so JSON output is stable). */
  public static Set<Feature> copy(Collection<Feature> features) {
    EnumSet<Feature> copy = EnumSet.noneOf(Feature.class);
    copy.addAll(features);
    return Collections.unmodifiableSet(copy);
  }

  /** Reads a list of feature wire names; absent means empty. */
  static Set<Feature> read(ConfigNode node, String key) {
    List<String> names = node.stringList(key);
    EnumSet<Feature> result = EnumSet.noneOf(Feature.class);
    for (int i = 0; i < names.size(); i++) {
      try {
        result.add(Feature.fromWireName(names.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(node.file(), node.pathOf(key) + "[" + i + "]",
            "unknown feature '" + names.get(i) + "' (one of " + Feature.ALLOWED + ")");
      }
    }
    return Collections.unmodifiableSet(result);
  }

  static JsonArray toJson(Set<Feature> features) {
    JsonArray array = new JsonArray();
    for (Feature f : Feature.values()) {
      if (features.contains(f)) {
        array.add(f.wireName());
      }
    }
    return array;
  }

  /** The first feature of {@code wanted} (in enum order) missing from {@code enabled}, or null. */
  public static Feature firstMissing(Set<Feature> wanted, Set<Feature> enabled) {
    for (Feature f : Feature.values()) {
      if (wanted.contains(f) && !enabled.contains(f)) {
        return f;
      }
    }
    return null;
  }
}
