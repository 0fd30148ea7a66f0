package io.turnout.routes;

import io.turnout.config.ConfigNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and checks the {@code active} list of {@code routes.yaml}. */
final class PointerReader {

  private PointerReader() {}

  static ActivePointers read(List<ConfigNode> nodes, Map<String, RouteVersion> versions, Instant now) {
    Map<ScopeKey, String> byScope = new LinkedHashMap<>();
    Map<ScopeKey, String> firstAt = new HashMap<>();
    for (ConfigNode node : nodes) {
      ScopeKey scope = new ScopeKey(node.string("environment"), node.string("tenant_or_cohort"),
          node.string("model_alias"));
      String id = node.string("route_version");
      node.finish();
      RouteVersion v = versions.get(id);
      if (v == null) {
        throw node.error("route_version", "names no route version in this file: '" + id + "'");
      }
      // A pointer restates its version's scope on purpose: a reviewer reads who is affected from
      // the pointer alone, and a copy-paste of the wrong version id is caught here.
      same(node, "environment", scope.environment(), v.environment(), id);
      same(node, "tenant_or_cohort", scope.tenantOrCohort(), v.tenantOrCohort(), id);
      same(node, "model_alias", scope.modelAlias(), v.modelAlias(), id);
      if (v.isExpired(now)) {
        throw node.error("route_version", "route version " + id + " expired at " + v.expiresAt()
            + "; point at a live version");
      }
      String previous = firstAt.putIfAbsent(scope, node.path());
      if (previous != null) {
        throw node.error("a second pointer for scope " + scope + " (the first is " + previous + ")");
      }
      byScope.put(scope, id);
    }
    return new ActivePointers(0, byScope);
  }

  private static void same(ConfigNode node, String key, String pointer, String version, String id) {
    if (!pointer.equals(version)) {
      throw node.error(key, "is '" + pointer + "' but route version " + id + " is for '" + version + "'");
    }
  }
}
