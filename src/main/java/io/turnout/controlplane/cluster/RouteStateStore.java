package io.turnout.controlplane.cluster;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.turnout.controlplane.CommandRefusal;
import io.turnout.routes.ActivePointers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.json.JsonObject;

/**
 * The route state every member serves, in one entry of a Vert.x shared-data map: cluster-wide
 * (Hazelcast) when the node is clustered, in-process otherwise, so one code path serves both.
 * Changes are compare-and-set on the exact text last read, so of two writers that read the same
 * revision exactly one wins.
 *
 * <p>The entry is JSON text: {@code {revision, pointers, routes_text, routes_source, node,
 * action}}; {@code routes_text} is the route map file's text, so a member that never saw the file
 * edit can parse and check it itself.
 */
public final class RouteStateStore {

  /** The cluster-wide shared-data map holding the state and the members' acknowledgements. */
  public static final String MAP = "turnout.routes";
  private static final String STATE = "state";
  private static final String MEMBER_PREFIX = "member:";

  private final Vertx vertx;
  private final String mapName;

  /**
   * @param nodeId this node: a node that is not clustered keeps its state to itself, so that
   *     several nodes sharing one Vert.x (tests, tools) stay as independent as separate processes
   */
  public RouteStateStore(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.mapName = NodeMaps.name(vertx, MAP, nodeId);
  }

  /** The state's text, or null when no member has written one yet. */
  public Future<String> read() {
    return map().compose(m -> m.get(STATE));
  }

  /**
   * Writes {@code state} unless one exists; returns the existing one, or null if this one was
   * written. Fails with a 503 {@code no_quorum} refusal on the minority side of a partition.
   */
  public Future<String> initialize(String state) {
    return map().compose(m -> m.putIfAbsent(STATE, state)).recover(RouteStateStore::quorumLost);
  }

  /**
   * Replaces {@code expected} with {@code next}; false when somebody else changed it first. Fails
   * with a 503 {@code no_quorum} refusal while this member's cluster is smaller than the quorum
   * ({@code cluster.expected_members}): nothing is written, the member keeps serving what it has.
   */
  public Future<Boolean> compareAndSet(String expected, String next) {
    return map().compose(m -> m.replaceIfPresent(STATE, expected, next)).recover(RouteStateStore::quorumLost);
  }

  private static <T> Future<T> quorumLost(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SplitBrainProtectionException) {
        return Future.failedFuture(new CommandRefusal(503, "no_quorum", "This member's cluster has fewer members "
            + "than the quorum of cluster.expected_members: route changes are refused on this side of a partition "
            + "until it heals (" + t.getMessage() + ")", null));
      }
    }
    return Future.failedFuture(failure);
  }

  /**
   * Records which revision a member applies. The record expires after {@code ttlMillis} unless
   * renewed, so a member that died without leaving drops out of the list by itself.
   */
  public Future<Void> acknowledge(String nodeId, long revision, String time, long ttlMillis) {
    return map().compose(m -> m.put(MEMBER_PREFIX + nodeId,
        new JsonObject().put("revision", revision).put("time", time).encode(), ttlMillis));
  }

  /** Forgets a member (it left). */
  public Future<Void> forget(String nodeId) {
    return map().compose(m -> m.remove(MEMBER_PREFIX + nodeId)).mapEmpty();
  }

  /** Every member's last acknowledgement: {@code {node: {revision, time}}}. */
  public Future<JsonObject> members() {
    return map().compose(AsyncMap::entries).map(entries -> {
      JsonObject members = new JsonObject();
      entries.forEach((key, value) -> {
        if (key.startsWith(MEMBER_PREFIX)) {
          members.put(key.substring(MEMBER_PREFIX.length()), new JsonObject(value));
        }
      });
      return members;
    });
  }

  /** The state text for pointers and a route map file's text. */
  public static String encode(ActivePointers pointers, String routesText, String routesSource, String node,
      String action) {
    return encode(pointers, routesText, routesSource, node, action, null);
  }

  /**
   * The state text, carrying {@code change}: the audit entry of the change that made it (so every
   * member that adopts it audits the whole entry), or null.
   */
  public static String encode(ActivePointers pointers, String routesText, String routesSource, String node,
      String action, JsonObject change) {
    JsonObject state = new JsonObject().put("revision", pointers.revision()).put("pointers", pointers.pointersJson())
        .put("routes_text", routesText).put("routes_source", routesSource).put("node", node).put("action", action);
    if (change != null) {
      // Without its pointer lists: the state holds them already.
      JsonObject carried = change.copy();
      carried.remove("pointers");
      state.put("change", carried);
    }
    return state.encode();
  }

  /** The revision of a state text, or -1 when the text is not a readable state. */
  public static long revisionOf(String state) {
    try {
      Long revision = new JsonObject(state).getLong("revision");
      return revision == null ? -1 : revision;
    } catch (RuntimeException unreadable) {
      // A state nobody can decode must not fail every later change: it is simply not this member's.
      return -1;
    }
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
