package io.turnout.controlplane.routes;

import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.turnout.controlplane.CommandRefusal;

/**
 * Makes a proposed route change the state every member serves: compare-and-set on the shared
 * state, the audit entry forced to disk, this member's table, the other members told.
 */
@FunctionalInterface
public interface RouteCommit {

  /**
   * @param entry the audit entry
   * @param routesText the route map text of the proposal's map, or null when the map in force stays
   * @return fails with {@link RouteTable.StaleRevisionException} when another member changed the
   *     state first (this member then serves that state), with a {@link CommandRefusal} when the
   *     change cannot be made or was made without its audit entry
   */
  Future<Void> commit(RouteTable.Proposal proposal, JsonObject entry, String routesText);
}
