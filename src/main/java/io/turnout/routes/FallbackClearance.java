package io.turnout.routes;

/**
 * Whether a scope may fail over to its fallback route automatically, without an operator: the
 * read-only view of the drills' clearance that the data plane consults on every failover. The
 * control plane owns the state behind it ({@code AutoFallback}); the data plane sees only this
 * question, so it never depends on the drill machinery.
 */
@FunctionalInterface
public interface FallbackClearance {

  /** Every scope may fail over by itself (tools, tests and demos that ask for it). */
  FallbackClearance UNRESTRICTED = (scope, routeVersion) -> true;

  /** Whether a request planned on {@code routeVersion} for {@code scope} may move to its fallback route by itself. */
  boolean allows(ScopeKey scope, String routeVersion);
}
