package io.turnout.dataplane.drain;

import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteVersion;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which providers the route versions in force may send an attempt to, now or after a rollback:
 * the providers of every version an active pointer names, and of every version on those
 * versions' rollback chains (a rollback is the moment a cold connect hurts most, so its target
 * keeps its pools). Only the providers a version's mode actually sends to count: a
 * {@code fallback_only} version does not keep its primary's pools, a disabled one keeps none.
 */
public final class ReferencedProviders {

  private ReferencedProviders() {}

  /** The referenced provider names, sorted. */
  public static Set<String> of(RouteSnapshot snapshot) {
    Set<String> providers = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    for (String id : snapshot.pointers().byScope().values()) {
      RouteVersion version = snapshot.map().version(id);
      while (version != null && seen.add(version.routeVersion())) {
        addUsed(version, providers);
        version = snapshot.map().version(version.rollbackRouteVersion());
      }
    }
    return providers;
  }

  private static void addUsed(RouteVersion version, Set<String> providers) {
    switch (version.mode()) {
      case PRIMARY_ONLY -> providers.add(version.primaryProvider());
      case FALLBACK_ONLY -> addIfSet(version.fallbackProvider(), providers);
      case PRIMARY_WITH_FALLBACK, CANARY -> {
        providers.add(version.primaryProvider());
        addIfSet(version.fallbackProvider(), providers);
      }
      case DISABLED -> { }
    }
  }

  private static void addIfSet(String provider, Set<String> providers) {
    if (provider != null) {
      providers.add(provider);
    }
  }
}
