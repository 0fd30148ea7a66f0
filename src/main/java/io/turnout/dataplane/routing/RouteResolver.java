package io.turnout.dataplane.routing;

import io.turnout.dataplane.routing.RouteRejection.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.turnout.routes.ActivePointers;
import io.turnout.routes.Feature;
import io.turnout.routes.FeatureSets;
import io.turnout.routes.RollbackChain;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteMode;
import io.turnout.routes.RouteRole;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;

/**
 * Turns a request into a {@link RoutePlan}: finds the scope's active version, follows expiry to
 * its rollback, applies the mode and the canary split, and drops attempts whose provider has not
 * enabled a feature the request needs. Pure: the map, pointers and time are arguments, so one
 * resolver serves every event loop and tests step time freely.
 */
public final class RouteResolver {

  private final CanarySelector canary;

  /** @param canary decides canary membership; {@link CanarySelector#hashed()} in production */
  public RouteResolver(CanarySelector canary) {
    this.canary = canary;
  }

  /** A resolver with the hashed canary selector. */
  public static RouteResolver standard() {
    return new RouteResolver(CanarySelector.hashed());
  }

  /**
   * @param map the loaded route map
   * @param pointers the active pointers in force (not necessarily {@code map.active()})
   * @param now the instant expiry is judged at
   */
  public RoutePlan resolve(RouteMap map, ActivePointers pointers, RouteRequest request, Instant now) {
    ScopeKey any = new ScopeKey(request.environment(), ScopeKey.ANY_COHORT, request.modelAlias());
    if (map.alias(request.modelAlias()) == null) {
      return RoutePlan.rejected(any, null, null, RouteRejection.of(Kind.UNKNOWN_ALIAS,
          "The model '" + request.modelAlias() + "' does not exist.", "model"));
    }
    ScopeKey scope = request.cohort() == null ? any
        : new ScopeKey(request.environment(), request.cohort(), request.modelAlias());
    String activeId = pointers.get(scope);
    if (activeId == null && request.cohort() != null) {
      scope = any;
      activeId = pointers.get(any);
    }
    if (activeId == null) {
      return RoutePlan.rejected(scope, null, null, RouteRejection.of(Kind.NO_ROUTE,
          "No active route for " + describe(request) + ".", null));
    }
    RollbackChain.Outcome chain = RollbackChain.follow(map, activeId, now);
    if (chain.effective() == null) {
      return RoutePlan.rejected(scope, null, null, RouteRejection.of(Kind.NO_ROUTE,
          "No route for scope " + scope + ": " + chain.problem() + ".", null));
    }
    RouteVersion route = chain.effective();
    String expiredFrom = route.routeVersion().equals(activeId) ? null : activeId;
    if (route.mode() == RouteMode.DISABLED) {
      return RoutePlan.rejected(scope, route, expiredFrom, RouteRejection.of(Kind.DISABLED,
          "Route " + route.routeVersion() + " for scope " + scope + " is disabled: " + route.disabledReason(), null));
    }
    // What is held applies to the version it was held on, not to a rollback an expiry led to.
    ScopeControl control = expiredFrom == null ? pointers.control(scope) : ScopeControl.fresh(
        pointers.control(scope).epoch());
    List<PlannedAttempt> ordered = order(route, request, control);
    List<PlannedAttempt> attempts = new ArrayList<>();
    for (PlannedAttempt attempt : ordered) {
      if (route.enabledFeatures().forRole(attempt.role()).containsAll(request.features())) {
        attempts.add(attempt);
      }
    }
    if (attempts.isEmpty()) {
      return RoutePlan.rejected(scope, route, expiredFrom, featureRejection(route, ordered.get(0), request));
    }
    return new RoutePlan(scope, route, attempts, expiredFrom, null, control.epoch());
  }

  private List<PlannedAttempt> order(RouteVersion route, RouteRequest request, ScopeControl control) {
    PlannedAttempt primary = attempt(route, RouteRole.PRIMARY, false);
    return switch (route.mode()) {
      case PRIMARY_ONLY -> List.of(primary);
      case PRIMARY_WITH_FALLBACK -> List.of(primary, attempt(route, RouteRole.FALLBACK, false));
      case FALLBACK_ONLY -> List.of(attempt(route, RouteRole.FALLBACK, false));
      case CANARY -> canary.inCanary(route.modelAlias(), request.stableKey(), control.shareFor(route))
          ? List.of(attempt(route, RouteRole.FALLBACK, true), primary)
          : List.of(primary, attempt(route, RouteRole.FALLBACK, false));
      case DISABLED -> List.of();
    };
  }

  private static PlannedAttempt attempt(RouteVersion route, RouteRole role, boolean canary) {
    return new PlannedAttempt(route.provider(role), route.modelId(role), role, canary);
  }

  /** Names the first feature (in enum order) the preferred attempt lacks. */
  private static RouteRejection featureRejection(RouteVersion route, PlannedAttempt preferred, RouteRequest request) {
    Feature missing = FeatureSets.firstMissing(request.features(), route.enabledFeatures().forRole(preferred.role()));
    return RouteRejection.of(Kind.FEATURE_NOT_ENABLED, "The feature '" + missing.wireName()
        + "' is not enabled for model '" + route.modelAlias() + "' on route version " + route.routeVersion() + ".",
        missing.param());
  }

  private static String describe(RouteRequest request) {
    String any = request.environment() + "/*/" + request.modelAlias();
    return request.cohort() == null ? "scope " + any
        : "scope " + request.environment() + "/" + request.cohort() + "/" + request.modelAlias() + " or " + any;
  }
}
