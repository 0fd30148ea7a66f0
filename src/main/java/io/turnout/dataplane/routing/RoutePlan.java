package io.turnout.dataplane.routing;

import io.turnout.dataplane.provider.ErrorClass;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import io.turnout.routes.ErrorClasses;
import io.turnout.routes.RetryPolicy;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;

/**
 * The outcome of {@link RouteResolver#resolve}: either the ordered attempts to run, or a
 * rejection. Check {@link #rejected()} first; on a rejection {@code attempts} is empty, and
 * {@code route} is set when the rejection came from a known version (disabled, features).
 *
 * @param scope the scope whose pointer was used (the cohort's, or {@code *}); for
 *     {@code UNKNOWN_ALIAS}, and {@code NO_ROUTE} without a pointer, the {@code *} scope looked at
 * @param route the effective route version, or null
 * @param attempts the attempts in order; the first is always tried, each next one only after a
 *     failure whose class is in {@link #fallbackOn()} and before the deadline
 * @param expiredFrom the active version that had expired when resolution moved on to its rollback
 *     chain, or null: log and publish it, this is a route change nobody made by hand
 * @param rejection why nothing runs, or null
 * @param epoch the scope's evaluation epoch ({@link ScopeControl#epoch()}) the plan was made in:
 *     what the attempts' signals are counted under
 */
public record RoutePlan(ScopeKey scope, RouteVersion route, List<PlannedAttempt> attempts, String expiredFrom,
    RouteRejection rejection, long epoch) {

  public RoutePlan {
    attempts = List.copyOf(attempts);
  }

  /** A plan that runs nothing. */
  static RoutePlan rejected(ScopeKey scope, RouteVersion route, String expiredFrom, RouteRejection rejection) {
    return new RoutePlan(scope, route, List.of(), expiredFrom, rejection, 0);
  }

  /** The same plan with only {@code kept} of its attempts (in their order); used by the data-policy gate. */
  public RoutePlan withAttempts(List<PlannedAttempt> kept) {
    return new RoutePlan(scope, route, kept, expiredFrom, rejection, epoch);
  }

  /** The same scope and route, refused with {@code why}: nothing runs. */
  public RoutePlan refused(RouteRejection why) {
    return rejected(scope, route, expiredFrom, why);
  }

  /** Whether the request must be answered with {@link #rejection()}. */
  public boolean rejected() {
    return rejection != null;
  }

  /** The effective route version id, or null. */
  public String routeVersion() {
    return route == null ? null : route.routeVersion();
  }

  /** The failure classes after which the next attempt may run (empty when there is no route). */
  public Set<ErrorClass> fallbackOn() {
    return route == null ? Set.of() : route.fallbackOn();
  }

  /** The retry policy of each attempt ({@link RetryPolicy#DEFAULT} when there is no route). */
  public RetryPolicy retryPolicy() {
    return route == null ? RetryPolicy.DEFAULT : route.retryPolicy();
  }

  /** The one deadline for every attempt, retry and fallback together; 0 when there is no route. */
  public int timeoutMs() {
    return route == null ? 0 : route.timeoutMs();
  }

  /** Whether canary selection put the fallback first for this request. */
  public boolean canary() {
    return !attempts.isEmpty() && attempts.get(0).canary();
  }

  /** For logs and an admin "explain" endpoint. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    attempts.forEach(a -> list.add(a.toJson()));
    JsonObject json = new JsonObject().put("scope", scope.toJson()).put("route_version", routeVersion())
        .put("expired_from", expiredFrom).put("epoch", epoch).put("attempts", list);
    if (route != null) {
      json.put("timeout_ms", route.timeoutMs()).put("fallback_on", ErrorClasses.toJson(route.fallbackOn()))
          .put("retry_policy", route.retryPolicy().toJson());
    }
    return rejection == null ? json : json.put("rejection", rejection.toJson());
  }
}
