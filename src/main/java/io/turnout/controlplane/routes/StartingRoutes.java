package io.turnout.controlplane.routes;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route map a member starts on, so that a member always starts: the copy of its own file it
 * applied last ({@link AppliedRouteFile}) when there is one, else the file itself, else (the file
 * invalid, no copy, a cluster running) the cluster's route state; the file's edits since the copy,
 * made while the node was down, are applied after the member joined, as any edit. A file that is
 * invalid at start is reported as the refused edit it is ({@code last_rejection}), never a reason
 * not to start. Pure: texts in, decision out.
 *
 * @param map the route map to serve from the start
 * @param text its text (what the cluster state carries)
 * @param source where it came from, as named in the route state
 * @param previous the own file as applied last: the base of the next edit's diff
 * @param file the route map file's own map as read at start, to apply once joined, or null when
 *     the file was invalid
 * @param fileText its text, or null when it could not be read
 * @param fileRefusal why the file was refused at start, or null
 * @param note for the start log line
 */
public record StartingRoutes(RouteMap map, String text, String source, RouteMap previous, RouteMap file,
    String fileText, ConfigException fileRefusal, String note) {

  private static final Logger LOG = LoggerFactory.getLogger(StartingRoutes.class);

  /** The route map file as read at start: parsed, or refused. */
  public record FileAtStart(String name, String text, RouteMap map, ConfigException refusal) {}

  /**
   * @param applied the applied copy's text, or null
   * @param clusterText the cluster's route map text (another member's decision), or null
   * @param reader parses and checks route map text (the node's providers and data policy)
   * @param adoptionReader parses the cluster's text (providers only)
   * @throws ConfigException the file's refusal, when there is nothing else to start on
   */
  public static StartingRoutes choose(FileAtStart file, String applied, String clusterText, String clusterSource,
      RouteMapReader reader, RouteMapReader adoptionReader) {
    RouteMap copy = null;
    if (applied != null) {
      try {
        copy = reader.read(file.name(), applied);
      } catch (ConfigException stale) {
        // E.g. a provider taken out of turnout.yaml since: the copy cannot serve, the file decides.
        LOG.warn("The applied copy of {} no longer loads ({}): starting on the file itself", file.name(),
            stale.getMessage());
      }
    }
    if (copy != null) {
      return new StartingRoutes(copy, applied, file.name(), copy, file.map(), file.text(), file.refusal(),
          "the copy of the route map file applied last" + (file.refusal() == null ? ""
              : "; the file itself is refused: " + file.refusal().getMessage()));
    }
    if (file.map() != null) {
      return new StartingRoutes(file.map(), file.text(), file.name(), file.map(), file.map(), file.text(), null,
          "the route map file");
    }
    if (clusterText != null) {
      RouteMap cluster = adoptionReader.read(clusterSource, clusterText);
      return new StartingRoutes(cluster, clusterText, clusterSource, cluster, null, file.text(), file.refusal(),
          "the cluster's route state; the route map file is refused: " + file.refusal().getMessage());
    }
    throw new ConfigException(file.name(), file.refusal().path(), file.refusal().reason()
        + " (no applied copy of the file and no cluster state to start on instead)");
  }
}
