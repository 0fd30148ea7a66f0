package io.turnout.controlplane.notify;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * This member's view of the Hazelcast cluster, for the notifications that only one member may
 * send: a membership listener of its own on the Hazelcast instance (Vert.x keeps
 * {@code ClusterManager.nodeListener} for itself), and whether this member is the oldest one,
 * which Hazelcast's member list puts first and every member agrees on. Not clustered, this
 * member is the only one, hence the oldest.
 */
final class ClusterMembers {

  /** A member that left or was lost: its Hazelcast UUID and address, and how many remain. */
  record Lost(String member, String address, int remaining, boolean reportedHere) {}

  private final HazelcastInstance hazelcast;
  private UUID registration;

  private ClusterMembers(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  static ClusterMembers of(Vertx vertx) {
    return new ClusterMembers(io.turnout.controlplane.cluster.HazelcastInstances.of(vertx));
  }

  /** Whether this member is the oldest of the cluster (or alone). */
  boolean oldest() {
    return hazelcast == null || isOldest(hazelcast.getCluster().getMembers(), hazelcast.getCluster().getLocalMember());
  }

  /** The member that reports a loss: the oldest of those remaining, which all of them agree on. */
  static boolean isOldest(Collection<Member> members, Member local) {
    return !members.isEmpty() && members.iterator().next().getUuid().equals(local.getUuid());
  }

  /** Calls {@code onLost} on {@code context} for every member removed from the cluster. */
  void listen(Context context, Consumer<Lost> onLost) {
    if (hazelcast == null) {
      return;
    }
    registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        Member gone = event.getMember();
        boolean here = isOldest(event.getMembers(), hazelcast.getCluster().getLocalMember());
        Lost lost = new Lost(gone.getUuid().toString(), gone.getAddress().toString(), event.getMembers().size(), here);
        // Hazelcast calls from its own thread: hop onto the verticle's.
        context.runOnContext(v -> onLost.accept(lost));
      }
    });
  }

  /**
   * The node name a member claimed, or null (a JVM service's lite member claims none). Blocking
   * (a Hazelcast map read): on a worker, never on Hazelcast's event thread or an event loop.
   */
  String nameOf(String member) {
    return hazelcast == null ? null : io.turnout.controlplane.cluster.MemberNames.nameOf(hazelcast,
        UUID.fromString(member));
  }

  void close() {
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
  }
}
