package io.turnout.routes;

import io.turnout.config.ConfigNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The features a route version verified per provider. In {@code routes.yaml} either a list (the
 * same for both providers) or {@code {primary: [...], fallback: [...]}}.
 *
 * @param primary features the primary provider may serve
 * @param fallback features the fallback provider may serve; empty when the route names no fallback
 */
public record EnabledFeatures(Set<Feature> primary, Set<Feature> fallback) {

  /** No optional features: plain chat only. */
  public static final EnabledFeatures NONE = new EnabledFeatures(Set.of(), Set.of());

  public EnabledFeatures {
    primary = FeatureSets.copy(primary);
    fallback = FeatureSets.copy(fallback);
  }

  /** The features enabled for one role. */
  public Set<Feature> forRole(RouteRole role) {
    return role == RouteRole.PRIMARY ? primary : fallback;
  }

  /**
   * Reads {@code enabled_features} of a route node; absent means {@link #NONE}.
   *
   * @param hasFallback whether the route names a fallback provider; without one a {@code fallback}
   *     key is rejected, since it would configure nothing
   */
  static EnabledFeatures fromConfig(ConfigNode route, String key, boolean hasFallback) {
    Object value = route.raw(key);
    if (value == null) {
      return NONE;
    }
    if (value instanceof JsonArray) {
      Set<Feature> both = FeatureSets.read(route, key);
      return new EnabledFeatures(both, hasFallback ? both : Set.of());
    }
    if (!(value instanceof JsonObject)) {
      throw route.error(key, "must be a list of features or a mapping {primary: [...], fallback: [...]}");
    }
    ConfigNode node = route.child(key);
    Set<Feature> primary = FeatureSets.read(node, "primary");
    if (!hasFallback && node.has("fallback")) {
      throw node.error("fallback", "the route names no fallback_provider");
    }
    Set<Feature> fallback = FeatureSets.read(node, "fallback");
    node.finish();
    return new EnabledFeatures(primary, fallback);
  }

  /** The mapping form; {@code fallback} only when the route has a fallback provider. */
  JsonObject toJson(boolean hasFallback) {
    JsonObject json = new JsonObject().put("primary", FeatureSets.toJson(primary));
    return hasFallback ? json.put("fallback", FeatureSets.toJson(fallback)) : json;
  }
}
