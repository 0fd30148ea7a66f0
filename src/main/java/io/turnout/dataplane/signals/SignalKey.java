package io.turnout.dataplane.signals;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;

/**
 * What one set of signals is counted under: a route version in one evaluation epoch of a scope,
 * one provider in one role, and the caller's cohort.
 *
 * @param scope the scope whose pointer served
 * @param routeVersion the version that planned the attempt
 * @param epoch the scope's evaluation epoch when the request was planned
 * @param provider the provider attempted
 * @param role {@code primary} or {@code fallback}
 * @param cohort the caller's cohort, or {@code -} for a caller without one
 */
public record SignalKey(ScopeKey scope, String routeVersion, long epoch, String provider, String role,
    String cohort) {

  /** The cohort of callers without one. */
  public static final String NO_COHORT = "-";

  JsonObject toJson() {
    return scope.toJson().put("route_version", routeVersion).put("epoch", epoch).put("provider", provider)
        .put("role", role).put("cohort", cohort);
  }

  /** Reads a key written by {@link #toJson}. */
  public static SignalKey fromJson(JsonObject json) {
    return new SignalKey(ScopeKey.fromJson(json), json.getString("route_version"), json.getLong("epoch"),
        json.getString("provider"), json.getString("role"), json.getString("cohort"));
  }
}
