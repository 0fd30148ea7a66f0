package io.turnout.controlplane.probes;

import io.turnout.controlplane.cluster.NodeMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where probe evidence is kept: the latest run per route version in a Vert.x shared-data map
 * (cluster-wide when clustered, so any member can judge an activation on a run another member
 * made; this node's own otherwise), and every run appended as a JSON line to
 * {@code <evidence_dir>/probes.jsonl}, written on a worker thread.
 */
public final class EvidenceStore {

  /** The cluster-wide map of the latest run per route version. */
  public static final String MAP = "turnout.probes";

  private final Vertx vertx;
  private final String mapName;
  private final Path file;

  /** @param nodeId a node that is not clustered keeps its evidence to itself */
  public EvidenceStore(Vertx vertx, String nodeId, Path evidenceDir) {
    this.vertx = vertx;
    this.mapName = NodeMaps.name(vertx, MAP, nodeId);
    this.file = evidenceDir.resolve(ProbeOptions.EVIDENCE_FILE);
  }

  /** The evidence file. */
  public Path file() {
    return file;
  }

  /**
   * Appends the run to the evidence file, then makes it the version's latest. The file comes
   * first: a run that is not on disk never becomes the basis of an activation.
   */
  public Future<Void> save(JsonObject evidence) {
    String line = evidence.encode() + "\n";
    return vertx.<Void>executeBlocking(() -> {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return null;
    }).compose(v -> map()).compose(m -> m.put(evidence.getString("route_version"), evidence.encode()));
  }

  /** The latest run of a route version, or null when it has none. */
  public Future<JsonObject> latest(String routeVersion) {
    return map().compose(m -> m.get(routeVersion)).map(text -> text == null ? null : new JsonObject(text));
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
