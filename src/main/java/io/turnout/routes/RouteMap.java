package io.turnout.routes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One loaded, fully checked {@code routes.yaml}: the alias records, every route version by id and
 * the active pointers the file declares. Immutable; a reload builds a new map and swaps it whole.
 * The pointers in use at run time are held separately (see {@link ActivePointers}), starting from
 * {@link #active()}.
 *
 * @param aliases alias name to record, in file order
 * @param versions route version id to version (with resolved pins), in file order
 * @param active the pointers declared in the file
 */
public record RouteMap(Map<String, AliasRecord> aliases, Map<String, RouteVersion> versions, ActivePointers active) {

  public RouteMap {
    aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /**
   * Parses and checks a route map. Nothing of an invalid file is returned: the first problem is
   * thrown with the file name and the exact field path (e.g. {@code routes[2].fallback_provider}).
   *
   * @param fileName the name used in errors, e.g. {@code conf/routes.yaml}
   * @param yamlText the file's text (JSON is accepted too, being YAML)
   * @param knownProviders the providers configured on this node
   * @param now the instant expiry is judged at: a pointer may not name a version expired by then
   * @throws io.turnout.config.ConfigException on any invalid content
   */
  public static RouteMap parse(String fileName, String yamlText, Set<String> knownProviders, Instant now) {
    return RouteMapParser.parse(fileName, yamlText, knownProviders, now);
  }

  /** The alias record, or null when no alias has that name. */
  public AliasRecord alias(String name) {
    return name == null ? null : aliases.get(name);
  }

  /** The route version, or null when no version has that id. */
  public RouteVersion version(String id) {
    return id == null ? null : versions.get(id);
  }

  /**
   * Checks that {@code scope} may point at {@code routeVersion} from {@code now} on: the version
   * exists, serves the scope's environment and alias, was written for the scope's cohort or for
   * {@code *} (so a cohort may be rolled back to a shared baseline), and has not expired.
   *
   * @throws IllegalArgumentException naming the problem, safe to return from the admin API
   */
  public void checkActivation(ScopeKey scope, String routeVersion, Instant now) {
    if (alias(scope.modelAlias()) == null) {
      throw new IllegalArgumentException("no alias named " + scope.modelAlias());
    }
    RouteVersion v = version(routeVersion);
    if (v == null) {
      throw new IllegalArgumentException("no route version named " + routeVersion);
    }
    if (!v.environment().equals(scope.environment()) || !v.modelAlias().equals(scope.modelAlias())) {
      throw new IllegalArgumentException("route version " + routeVersion + " serves " + v.scope() + ", not " + scope);
    }
    if (!v.tenantOrCohort().equals(scope.tenantOrCohort()) && !v.tenantOrCohort().equals(ScopeKey.ANY_COHORT)) {
      throw new IllegalArgumentException("route version " + routeVersion + " was written for cohort "
          + v.tenantOrCohort() + ", not " + scope.tenantOrCohort());
    }
    if (v.isExpired(now)) {
      throw new IllegalArgumentException("route version " + routeVersion + " expired at " + v.expiresAt());
    }
  }

  /**
   * Whether moving a scope from {@code current} (null without a pointer) to {@code target} is a
   * recovery, never guarded by probes nor blocked by a gate's freeze: {@code target} is on the
   * rollback chain of {@code current}, is its alias's {@code rollback_target}, or is a baseline
   * (a version that rolls back to itself).
   */
  public boolean isRecovery(String current, String target) {
    RouteVersion version = version(target);
    if (version == null) {
      return false;
    }
    if (version.isBaseline()) {
      return true;
    }
    AliasRecord alias = alias(version.modelAlias());
    if (alias != null && target.equals(alias.rollbackTarget())) {
      return true;
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String id = current; id != null && seen.add(id); ) {
      if (id.equals(target)) {
        return true;
      }
      RouteVersion at = version(id);
      id = at == null ? null : at.rollbackRouteVersion();
    }
    return false;
  }

  /** The file shape ({@code aliases}, {@code routes}, {@code active}); it parses back to an equal map. */
  public JsonObject toJson() {
    JsonObject aliasesJson = new JsonObject();
    aliases.forEach((name, alias) -> aliasesJson.put(name, alias.toJson()));
    JsonArray routes = new JsonArray();
    versions.values().forEach(v -> routes.add(v.toJson()));
    return new JsonObject().put("aliases", aliasesJson).put("routes", routes).put("active", active.pointersJson());
  }
}
