package io.turnout.routes;

import io.turnout.config.ConfigNode;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An explicit app model alias (runbook section 5): the name clients send as {@code model}, pinned
 * per provider to an exact provider model id, with the features the app relies on and the route
 * version it returns to. An alias never means "whatever the provider calls latest".
 *
 * @param name the alias, e.g. {@code support-summary-v3}
 * @param description free text for operators, or null
 * @param providerModels provider name to the pinned provider model id, in file order; never empty
 * @param featureAssumptions features the app relies on; every provider a route uses must enable them
 * @param rollbackTarget the pre-tested route version of this alias that a rollback returns to
 */
public record AliasRecord(String name, String description, Map<String, String> providerModels,
    Set<Feature> featureAssumptions, String rollbackTarget) {

  public AliasRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rollbackTarget, "rollbackTarget");
    if (providerModels.isEmpty()) {
      throw new IllegalArgumentException("an alias must pin at least one provider model id");
    }
    providerModels = Collections.unmodifiableMap(new LinkedHashMap<>(providerModels));
    featureAssumptions = FeatureSets.copy(featureAssumptions);
  }

  /** The pinned provider model id for {@code provider}, or null when this alias does not pin one. */
  public String pin(String provider) {
    return provider == null ? null : providerModels.get(provider);
  }

  /**
   * Reads {@code aliases.<name>}. Whether {@code rollback_target} names a route of this alias is
   * checked by {@link RouteMap#parse}, which sees the routes.
   *
   * @param knownProviders the providers configured on this node; a pin for any other is an error
   */
  public static AliasRecord fromConfig(String name, ConfigNode node, Set<String> knownProviders) {
    String description = node.optString("description", null);
    Map<String, String> pins = readPins(node, knownProviders);
    Set<Feature> assumptions = FeatureSets.read(node, "feature_assumptions");
    String rollbackTarget = node.string("rollback_target");
    node.finish();
    return new AliasRecord(name, description, pins, assumptions, rollbackTarget);
  }

  private static Map<String, String> readPins(ConfigNode node, Set<String> knownProviders) {
    Map<String, String> pins = node.stringMap("provider_models");
    if (pins.isEmpty()) {
      throw node.error("provider_models", "an alias that does not pin a provider model id is a config error: "
          + "name at least one provider and its exact model id");
    }
    ConfigNode models = node.child("provider_models");
    for (String provider : pins.keySet()) {
      if (!knownProviders.contains(provider)) {
        throw models.error(provider, "names no configured provider (known: " + String.join(", ", new TreeSet<>(knownProviders)) + ")");
      }
    }
    return pins;
  }

  /** The config shape (the name is the key it is stored under). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (description != null) {
      json.put("description", description);
    }
    JsonObject models = new JsonObject();
    providerModels.forEach(models::put);
    return json.put("provider_models", models).put("feature_assumptions", FeatureSets.toJson(featureAssumptions))
        .put("rollback_target", rollbackTarget);
  }
}
