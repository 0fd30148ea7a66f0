package io.turnout.dataplane.chat;

import io.turnout.dataplane.routing.RouteResolver;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.dataplane.routing.RouteRequest;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteView;
import io.turnout.routes.ScopeKey;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * The routing state a request's current plan was made on, so the request can tell that its scope
 * has been moved to another version since (drain) and be planned again on the state in force.
 * Used on the request's event loop only.
 */
final class PlanBasis {

  private final RouteView routes;
  private final RouteResolver resolver;
  private final RouteRequest request;
  private final Clock clock;
  private final ScopeKey scope;
  private final Function<RoutePlan, AttemptPolicy.Plan> screen;
  private RouteSnapshot snapshot;

  /**
   * @param screen applied to every new plan before it runs (the data-policy gate), saying also what
   *     withholds its fallback route
   */
  PlanBasis(RouteView routes, RouteResolver resolver, RouteRequest request, Clock clock, RouteSnapshot snapshot,
      ScopeKey scope, Function<RoutePlan, AttemptPolicy.Plan> screen) {
    this.routes = routes;
    this.resolver = resolver;
    this.request = request;
    this.clock = clock;
    this.snapshot = snapshot;
    this.scope = scope;
    this.screen = screen;
  }

  /** The scope whose pointer the plan followed. */
  ScopeKey scope() {
    return scope;
  }

  /** The version the scope's pointer named when the current plan was made. */
  String pointer() {
    return snapshot.pointers().get(scope);
  }

  /**
   * A new plan when the scope's pointer has moved since the current plan was made, else null. The
   * state it was made on becomes the basis, so a later failure on the new plan does not re-plan
   * again unless the scope moves again.
   */
  AttemptPolicy.Plan replanIfMoved() {
    RouteSnapshot now = routes.current();
    if (now == snapshot || Objects.equals(now.pointers().get(scope), snapshot.pointers().get(scope))) {
      return null;
    }
    snapshot = now;
    return screen.apply(resolver.resolve(now.map(), now.pointers(), request, clock.instant()));
  }
}
