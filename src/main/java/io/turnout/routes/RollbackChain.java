package io.turnout.routes;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Follows {@code rollback_route_version} from an active version while versions are expired. Used
 * by both request-time resolution and the periodic sweep so the two can never disagree about
 * where an expired scope lands.
 */
public final class RollbackChain {

  /** Where the chain ended: a version to serve, or why there is none. */
  public record Outcome(RouteVersion effective, String problem) {}

  private RollbackChain() {}

  /**
   * Stops at the first unexpired version, or at an expired baseline (a version that names itself:
   * there is nothing older to return to, so it keeps serving). A chain of expired versions that
   * loops back has nowhere to go and yields a problem instead.
   */
  public static Outcome follow(RouteMap map, String activeId, Instant now) {
    RouteVersion version = map.version(activeId);
    if (version == null) {
      return new Outcome(null, "active route version " + activeId + " is not in the route map");
    }
    Set<String> seen = new LinkedHashSet<>();
    while (version.isExpired(now) && !version.isBaseline()) {
      if (!seen.add(version.routeVersion())) {
        return new Outcome(null, "route versions " + String.join(" -> ", seen)
            + " have all expired and roll back to each other");
      }
      RouteVersion next = map.version(version.rollbackRouteVersion());
      if (next == null) {
        // RouteMap.parse rejects a dangling rollback, so only a hand-built map gets here.
        return new Outcome(null, "rollback route version " + version.rollbackRouteVersion() + " is not in the route map");
      }
      version = next;
    }
    return new Outcome(version, null);
  }
}
