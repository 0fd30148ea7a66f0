package io.turnout.controlplane.routes;

import io.turnout.controlplane.audit.AuditLog;
import io.turnout.controlplane.audit.AuditRestore;
import io.turnout.controlplane.cluster.RouteStateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Gathers what a member starts its routes on, off the event loop: its audit log (the pointers and
 * the highest revision), the copy of its own file it applied last, and, only when neither that copy
 * nor the file can be used, the cluster's route state; then decides with {@link StartingRoutes}
 * and {@link AuditRestore}.
 */
public final class RouteStartup {

  /** The map to start on and the pointers in force on it. */
  public record Prepared(StartingRoutes routes, AuditRestore.Outcome pointers) {}

  private RouteStartup() {}

  public static Future<Prepared> prepare(Vertx vertx, String nodeId, StartingRoutes.FileAtStart file, AuditLog audit,
      AppliedRouteFile applied, RouteMapReader reader, RouteMapReader adoptionReader) {
    return vertx.executeBlocking(() -> new Local(audit.readAll(), applied.read())).compose(local -> {
      boolean needCluster = file.map() == null && local.applied() == null && vertx.isClustered();
      Future<String> cluster = needCluster ? new RouteStateStore(vertx, nodeId).read().otherwiseEmpty()
          : Future.succeededFuture();
      return cluster.compose(state -> vertx.executeBlocking(() -> {
        JsonObject json = state == null || RouteStateStore.revisionOf(state) < 0 ? null : new JsonObject(state);
        StartingRoutes routes = StartingRoutes.choose(file, local.applied(),
            json == null ? null : json.getString("routes_text"), json == null ? null : json.getString("routes_source"),
            reader, adoptionReader);
        return new Prepared(routes, AuditRestore.pointers(routes.map(), local.entries()));
      }));
    });
  }

  private record Local(List<JsonObject> entries, String applied) {}
}
