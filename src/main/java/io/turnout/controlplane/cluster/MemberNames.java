package io.turnout.controlplane.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import java.util.Map;
import java.util.UUID;

/**
 * Which member holds which node name, cluster-wide: a Hazelcast map of name to the holder's
 * member UUID. A member claims its name at start; a name held by a member that is still in the
 * cluster is refused (two members with one name would share acknowledgements, claims and audit
 * identity), while a name whose holder has left (a restart, a killed process) is taken over. A
 * name is never given back, so that after a member left, stopped or died, the others can still
 * tell which name it had ({@link #nameOf}).
 *
 * <p>Not clustered, names are claimed among the nodes sharing one Vert.x (tests, tools), for good:
 * a taken name gets a numeric suffix, so such nodes, also one started after another stopped, stay
 * as independent as separate processes.
 */
public final class MemberNames {

  /** The map of node name to the holding member's UUID. */
  public static final String MAP = "turnout.node.names";

  private MemberNames() {}

  /**
   * Claims {@code name} for this member; completes with the name it holds (suffixed only when not
   * clustered). Fails with an {@link IllegalStateException} naming the holder when a live member holds it.
   */
  public static Future<String> claim(Vertx vertx, String name) {
    HazelcastInstance hazelcast = HazelcastInstances.of(vertx);
    if (hazelcast == null) {
      return Future.succeededFuture(claimLocally(vertx, name));
    }
    // Hazelcast map calls block: on a worker.
    return vertx.executeBlocking(() -> claimInCluster(hazelcast, name));
  }

  /** The node name a Hazelcast member claimed, or null when it claimed none (a lite member, a tool). */
  public static String nameOf(HazelcastInstance hazelcast, UUID member) {
    String uuid = member.toString();
    for (Map.Entry<String, String> entry : names(hazelcast).entrySet()) {
      if (uuid.equals(entry.getValue())) {
        return entry.getKey();
      }
    }
    return null;
  }

  private static String claimInCluster(HazelcastInstance hazelcast, String name) {
    IMap<String, String> names = names(hazelcast);
    String mine = hazelcast.getCluster().getLocalMember().getUuid().toString();
    for (int attempt = 0; attempt < 10; attempt++) {
      String holder = names.putIfAbsent(name, mine);
      if (holder == null || holder.equals(mine)) {
        return name;
      }
      Member live = liveMember(hazelcast, holder);
      if (live != null) {
        throw new IllegalStateException("node.name '" + name + "' is the name of the running member at "
            + live.getAddress() + ": give every member its own node.name (or TURNOUT_NODE_NAME); the default is the"
            + " host name");
      }
      // Its holder left the cluster (this member's previous run, or a member replaced): take it over.
      if (names.replace(name, holder, mine)) {
        return name;
      }
    }
    throw new IllegalStateException("node.name '" + name + "' could not be claimed: it changed hands 10 times");
  }

  private static Member liveMember(HazelcastInstance hazelcast, String uuid) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (member.getUuid().toString().equals(uuid)) {
        return member;
      }
    }
    return null;
  }

  private static String claimLocally(Vertx vertx, String name) {
    LocalMap<String, Boolean> taken = localNames(vertx);
    if (taken.putIfAbsent(name, Boolean.TRUE) == null) {
      return name;
    }
    for (int n = 2; ; n++) {
      String candidate = name + "-" + n;
      if (taken.putIfAbsent(candidate, Boolean.TRUE) == null) {
        return candidate;
      }
    }
  }

  private static LocalMap<String, Boolean> localNames(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  private static IMap<String, String> names(HazelcastInstance hazelcast) {
    return hazelcast.getMap(MAP);
  }
}
