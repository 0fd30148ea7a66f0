package io.turnout.controlplane.drills;

import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.routes.RouteCommand;
import io.turnout.controlplane.routes.RouteCommands;
import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The one place drills talk to the route control plane: every traffic move of a drill is an
 * {@code activate} command (compare-and-set, audited, applied by every member), forced for a
 * return, built as a typed {@link RouteCommand}.
 */
final class DrillRouteMoves {

  private final Vertx vertx;
  private final RouteTable routes;

  DrillRouteMoves(Vertx vertx, RouteTable routes) {
    this.vertx = vertx;
    this.routes = routes;
  }

  /** The activate command of {@code move}: no expected revision (a drill's move retries its compare-and-set). */
  static RouteCommand.Activate command(DrillEffect.MoveScope move) {
    return new RouteCommand.Activate(RouteCommand.ScopeRef.of(move.scope()), move.version(), move.operator(),
        move.reason(), -1, move.force(), move.drillId());
  }

  /** Moves the scope unless it is there already; a refused move is an outcome that did not pass, not a failure. */
  Future<StepResult.MoveOutcome> move(DrillEffect.MoveScope move) {
    if (move.version().equals(routes.current().pointers().get(move.scope()))) {
      return Future.succeededFuture(new StepResult.MoveOutcome(move.scope(), move.version(), true,
          move.scope() + " already on " + move.version(), null));
    }
    return vertx.eventBus().<JsonObject>request(RouteCommands.ADDRESS, command(move).toJson()).map(reply -> {
      JsonObject entry = reply.body();
      RouteChange change = new RouteChange(entry.getString("time"), move.scope(), entry.getString("from"),
          entry.getString("to"), move.operator(), move.step(), entry.getLong("revision"));
      return new StepResult.MoveOutcome(move.scope(), move.version(), true, move.scope() + " moved from "
          + entry.getString("from") + " to " + move.version(), change);
    }).recover(t -> Future.succeededFuture(new StepResult.MoveOutcome(move.scope(), move.version(), false,
        "moving " + move.scope() + " to " + move.version() + " was refused: " + CommandRefusal.fromReply(t)
            .getMessage(), null)));
  }
}
