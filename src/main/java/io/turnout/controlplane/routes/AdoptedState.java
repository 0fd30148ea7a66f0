package io.turnout.controlplane.routes;

import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteSnapshot;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Reading the cluster's shared route state, and the audit entry of a member adopting it. Pure. */
final class AdoptedState {

  private AdoptedState() {}

  /** The state as a snapshot to serve. CPU work (a route map parse): off the event loop. */
  static RouteSnapshot snapshot(RouteMapReader reader, String state, Instant now) {
    JsonObject json = new JsonObject(state);
    RouteMap map = reader.read(json.getString("routes_source"), json.getString("routes_text"));
    return new RouteSnapshot(map, ActivePointers.fromJson(json), json.getString("routes_source"), now);
  }

  /**
   * The change as its member audited it (operator, reason, scope, from, to, revision), marked as
   * adopted here ({@code changed_on}, {@code changed_at}, {@code change_action}); a state without
   * one (a member's join) is recorded by its pointers.
   */
  static JsonObject auditEntry(JsonObject state, RouteSnapshot snapshot, String nodeId, Instant now) {
    JsonObject change = state.getJsonObject("change");
    return (change == null ? new JsonObject().put("operator", "node:" + state.getString("node"))
        : change.copy().put("changed_on", change.getString("node")).put("changed_at", change.getString("time")))
        .put("time", now.toString()).put("node", nodeId).put("action", "adopted")
        .put("change_action", change == null ? state.getString("action") : change.getString("action"))
        .put("revision", snapshot.pointers().revision()).put("pointers", snapshot.pointers().pointersJson())
        .put("file_pointers", snapshot.map().active().pointersJson());
  }
}
