package io.turnout.routes;

/**
 * The routing state in force, read-only: what the data plane sees of the route table. Every call
 * returns one immutable snapshot (a volatile read), so a request never mixes two versions of the
 * state; only the control plane holds the {@link RouteTable} that changes it.
 */
@FunctionalInterface
public interface RouteView {

  /** The snapshot in force now. */
  RouteSnapshot current();
}
