package io.turnout.controlplane.routes;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/**
 * When this member's own route map file is read and applied: the file as read at start (its edits
 * made while the node was down, as a diff against the applied copy) once the member has joined the
 * cluster's shared state, never before it; then, when {@code routing.watch}, every scan period. A
 * member that cannot join yet (no quorum, or starting members still comparing revisions) starts
 * anyway and catches up on its file as soon as it joins.
 */
final class RouteFileEdits {

  private final Vertx vertx;
  private final RouteFileWatcher watcher;
  private final StartingRoutes start;
  private final RoutingOptions options;

  RouteFileEdits(Vertx vertx, RouteFileWatcher watcher, StartingRoutes start, RoutingOptions options) {
    this.vertx = vertx;
    this.watcher = watcher;
    this.start = start;
    this.options = options;
    ConfigException refused = start.fileRefusal();
    if (refused != null) {
      watcher.refusedAtStart(refused);
    }
  }

  /**
   * Starts reading the file once {@code joined} completes; the returned future completes then if it
   * already has (a lone node, a member that joined at once), else at once.
   */
  Future<Void> afterJoin(Future<Void> joined, List<Long> timers) {
    Future<Void> caughtUp = joined.compose(v -> {
      RouteMap file = start.file();
      return file == null ? Future.<Void>succeededFuture() : watcher.applyAtStart(start.fileText(), file);
    }).compose(v -> {
      if (!options.watch()) {
        return Future.<Void>succeededFuture();
      }
      timers.add(vertx.setPeriodic(options.scanPeriodMs(), id -> watcher.scan()));
      // The file may have changed between the node's load and now.
      return watcher.scan().otherwiseEmpty();
    });
    return joined.isComplete() ? caughtUp : Future.succeededFuture();
  }
}
