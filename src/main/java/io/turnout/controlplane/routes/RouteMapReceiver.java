package io.turnout.controlplane.routes;

import io.turnout.routes.RouteMap;
import io.vertx.core.Future;

/**
 * Where the route file watcher pushes an edit it read and parsed: a map already checked on its
 * own, still to be checked against the running state (frozen versions, pointers, probes) and
 * applied.
 */
@FunctionalInterface
public interface RouteMapReceiver {

  /**
   * Applies an edit.
   *
   * @param text the file's text
   * @param map the text, parsed and checked
   * @return succeeds with whether the running state changed (false for an edit that changes nothing,
   *     e.g. comments only); fails with a {@link io.turnout.config.ConfigException} naming the field
   *     when the edit is refused (nothing changed)
   */
  Future<Boolean> receive(String text, RouteMap map);
}
