package io.turnout.routes;

import io.turnout.config.ConfigNode;
import io.turnout.config.YamlFiles;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The cross-reference checks of {@link RouteMap#parse}; each entry's own fields are read by its record. */
final class RouteMapParser {

  private RouteMapParser() {}

  static RouteMap parse(String file, String text, Set<String> providers, Instant now) {
    ConfigNode root = ConfigNode.root(file, YamlFiles.parse(file, text));
    Map<String, ConfigNode> aliasNodes = root.children("aliases");
    List<ConfigNode> routeNodes = root.list("routes");
    List<ConfigNode> pointerNodes = root.list("active");
    root.finish();
    if (aliasNodes.isEmpty()) {
      throw root.error("aliases", "at least one model alias is required");
    }
    Map<String, AliasRecord> aliases = new LinkedHashMap<>();
    aliasNodes.forEach((name, node) -> aliases.put(name, AliasRecord.fromConfig(name, node, providers)));
    Map<String, RouteVersion> versions = new LinkedHashMap<>();
    Map<String, ConfigNode> nodes = new LinkedHashMap<>();
    for (ConfigNode node : routeNodes) {
      RouteVersion v = RouteVersion.fromConfig(node);
      ConfigNode first = nodes.putIfAbsent(v.routeVersion(), node);
      if (first != null) {
        throw node.error("route_version", "'" + v.routeVersion() + "' is already defined at " + first.path());
      }
      versions.put(v.routeVersion(), withPins(v, node, aliases, providers));
    }
    versions.values().forEach(v -> checkRollback(v, nodes.get(v.routeVersion()), versions));
    aliasNodes.forEach((name, node) -> checkRollbackTarget(aliases.get(name), node, versions));
    return new RouteMap(aliases, versions, PointerReader.read(pointerNodes, versions, now));
  }

  private static RouteVersion withPins(RouteVersion v, ConfigNode node, Map<String, AliasRecord> aliases,
      Set<String> providers) {
    AliasRecord alias = aliases.get(v.modelAlias());
    if (alias == null) {
      throw node.error("model_alias", "names no alias under aliases: '" + v.modelAlias() + "'");
    }
    String primaryPin = pin(node, "primary_provider", v.primaryProvider(), alias, providers);
    String fallbackPin = v.fallbackProvider() == null ? null
        : pin(node, "fallback_provider", v.fallbackProvider(), alias, providers);
    samePin(node, "provider_model_id", v.providerModelId(), primaryPin, alias);
    samePin(node, "fallback_provider_model_id", v.fallbackProviderModelId(), fallbackPin, alias);
    for (RouteRole role : v.mode().servingRoles()) {
      Feature missing = FeatureSets.firstMissing(alias.featureAssumptions(), v.enabledFeatures().forRole(role));
      if (missing != null) {
        throw node.error("enabled_features", "alias " + alias.name() + " assumes '" + missing.wireName()
            + "' but it is not enabled for the " + role.wireName() + " provider " + v.provider(role));
      }
    }
    return v.withPins(primaryPin, fallbackPin);
  }

  private static String pin(ConfigNode node, String key, String provider, AliasRecord alias, Set<String> providers) {
    if (!providers.contains(provider)) {
      throw node.error(key, "names no configured provider: '" + provider + "' (known: "
          + String.join(", ", new TreeSet<>(providers)) + ")");
    }
    String pin = alias.pin(provider);
    if (pin == null) {
      throw node.error(key, "alias " + alias.name() + " pins no provider model id for '" + provider
          + "'; add it under aliases." + alias.name() + ".provider_models");
    }
    return pin;
  }

  private static void samePin(ConfigNode node, String key, String given, String pin, AliasRecord alias) {
    if (given != null && !given.equals(pin)) {
      throw node.error(key, "is '" + given + "' but alias " + alias.name() + " pins '" + pin
          + "'; a route may not override its alias's pin");
    }
  }

  private static void checkRollback(RouteVersion v, ConfigNode node, Map<String, RouteVersion> versions) {
    RouteVersion target = versions.get(v.rollbackRouteVersion());
    if (target == null) {
      throw node.error("rollback_route_version", "names no route version in this file: '"
          + v.rollbackRouteVersion() + "'; every version needs an already-tested rollback (or itself, as a baseline)");
    }
    if (!target.modelAlias().equals(v.modelAlias()) || !target.environment().equals(v.environment())) {
      throw node.error("rollback_route_version", "'" + target.routeVersion() + "' serves " + target.scope()
          + "; a rollback must serve the same model_alias and environment");
    }
    // Expiry moves this version's scope to its rollback, so the rollback must be able to serve
    // that scope: the same cohort or the shared one.
    if (!target.tenantOrCohort().equals(v.tenantOrCohort()) && !target.tenantOrCohort().equals(ScopeKey.ANY_COHORT)) {
      String allowed = v.tenantOrCohort().equals(ScopeKey.ANY_COHORT) ? "*" : v.tenantOrCohort() + " or *";
      throw node.error("rollback_route_version", "'" + target.routeVersion() + "' was written for cohort "
          + target.tenantOrCohort() + "; a rollback must be for cohort " + allowed);
    }
  }

  private static void checkRollbackTarget(AliasRecord alias, ConfigNode node, Map<String, RouteVersion> versions) {
    RouteVersion target = versions.get(alias.rollbackTarget());
    if (target == null) {
      throw node.error("rollback_target", "names no route version in this file: '" + alias.rollbackTarget() + "'");
    }
    if (!target.modelAlias().equals(alias.name())) {
      throw node.error("rollback_target", "'" + target.routeVersion() + "' serves alias " + target.modelAlias()
          + ", not " + alias.name());
    }
  }
}
