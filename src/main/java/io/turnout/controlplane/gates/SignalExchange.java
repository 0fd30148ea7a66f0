package io.turnout.controlplane.gates;

import io.turnout.controlplane.cluster.NodeMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Where members leave their window counts for each other: one entry per member in a Vert.x
 * shared-data map (Hazelcast when clustered, in-process otherwise), renewed every tick and
 * expiring when a member stops renewing it, so a dead member's traffic ages out on its own.
 */
final class SignalExchange {

  /** The cluster-wide map of members' exported signal windows. */
  static final String MAP = "turnout.gates";

  private final Vertx vertx;
  private final String mapName;

  /** @param nodeId a node that is not clustered keeps its counts to itself */
  SignalExchange(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.mapName = NodeMaps.name(vertx, MAP, nodeId);
  }

  /** Leaves this member's export, then reads every member's. */
  Future<List<JsonObject>> share(String nodeId, JsonObject export, long ttlMillis) {
    return map().compose(m -> m.put(nodeId, export.encode(), ttlMillis).compose(v -> m.entries()))
        .map(entries -> {
          List<JsonObject> exports = new ArrayList<>(entries.size());
          entries.values().forEach(text -> exports.add(new JsonObject(text)));
          return exports;
        });
  }

  /** Withdraws this member's counts (it is leaving). */
  Future<Void> withdraw(String nodeId) {
    return map().compose(m -> m.remove(nodeId)).mapEmpty();
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
