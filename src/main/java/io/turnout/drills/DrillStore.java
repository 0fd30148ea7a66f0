package io.turnout.drills;

import io.turnout.cluster.NodeMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Drills, one entry each in a Vert.x shared-data map (Hazelcast when clustered, so any member can
 * serve and advance any drill), changed only by compare-and-set on the exact text last read: of
 * two operators approving the same step at once, one wins.
 */
final class DrillStore {

  static final String MAP = "turnout.drills";

  private final Vertx vertx;
  private final String mapName;

  DrillStore(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.mapName = NodeMaps.name(vertx, MAP, nodeId);
  }

  /** The drill's text, or null. */
  Future<String> read(String id) {
    return map().compose(m -> m.get(id));
  }

  /** Adds a new drill; false when the id is taken. */
  Future<Boolean> create(String id, JsonObject drill) {
    return map().compose(m -> m.putIfAbsent(id, drill.encode())).map(existing -> existing == null);
  }

  /** Replaces {@code expected} with {@code next}; false when somebody changed the drill first. */
  Future<Boolean> replace(String id, String expected, JsonObject next) {
    return map().compose(m -> m.replaceIfPresent(id, expected, next.encode()));
  }

  /** Every drill. */
  Future<List<JsonObject>> all() {
    return map().compose(AsyncMap::values).map(values -> {
      List<JsonObject> drills = new ArrayList<>();
      values.forEach(v -> drills.add(new JsonObject(v)));
      drills.sort(java.util.Comparator.comparing(d -> d.getString("started_at", "")));
      return drills;
    });
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
