package io.turnout.controlplane.routes;

import io.turnout.routes.RouteMap;

/**
 * Parses and checks route map text against this node's configuration (providers, data policy).
 * Blocking (CPU-bound on a large file): call it from a worker, never from an event loop.
 */
@FunctionalInterface
public interface RouteMapReader {

  /**
   * @param source the file name used in errors
   * @throws io.turnout.config.ConfigException naming the file, the field path and the reason
   */
  RouteMap read(String source, String text);
}
