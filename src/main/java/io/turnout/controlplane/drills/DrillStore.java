package io.turnout.controlplane.drills;

import io.turnout.controlplane.cluster.NodeMaps;
import io.turnout.controlplane.CommandRefusal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Drills, one entry each in a Vert.x shared-data map (Hazelcast when clustered, so any member can
 * serve and advance any drill), changed only by compare-and-set on the exact text last read: of
 * two operators approving the same step at once, one wins.
 */
final class DrillStore {

  static final String MAP = "turnout.drills";

  /** A drill as read, with the exact text a compare-and-set must name. */
  record Stored(String text, Drill drill) {}

  private final Vertx vertx;
  private final String mapName;

  DrillStore(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.mapName = NodeMaps.name(vertx, MAP, nodeId);
  }

  /** The drill; fails 404 {@code not_found} when there is none. */
  Future<Stored> read(String id) {
    return map().compose(m -> m.get(id)).compose(text -> text == null
        ? Future.failedFuture(CommandRefusal.notFound("no drill " + id))
        : Future.succeededFuture(new Stored(text, Drill.fromJson(new JsonObject(text)))));
  }

  /** Adds a new drill; false when the id is taken. */
  Future<Boolean> create(Drill drill) {
    return map().compose(m -> m.putIfAbsent(drill.id(), drill.toJson().encode())).map(existing -> existing == null);
  }

  /** Replaces {@code expected} with {@code next}: the text stored, or null when somebody changed the drill first. */
  Future<String> replace(String id, String expected, Drill next) {
    String text = next.toJson().encode();
    return map().compose(m -> m.replaceIfPresent(id, expected, text)).map(won -> won ? text : null);
  }

  /** Every drill, oldest first. */
  Future<List<Drill>> all() {
    return map().compose(AsyncMap::values).map(values -> {
      List<Drill> drills = new ArrayList<>();
      values.forEach(v -> drills.add(Drill.fromJson(new JsonObject(v))));
      drills.sort(Comparator.comparingLong(Drill::startedMs));
      return drills;
    });
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
