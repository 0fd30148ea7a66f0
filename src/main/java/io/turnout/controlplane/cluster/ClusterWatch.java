package io.turnout.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member converging on the cluster's route state and says whether it may change it: every
 * {@code periodMs}, and at once when Hazelcast reports that this member's side of a partition
 * merged into the other, it asks the route control plane (a local-only message on
 * {@code syncAddress}) to compare its applied state with the shared one and adopt a newer one.
 * It also reports the members this one sees and whether they make a quorum of
 * {@code cluster.expected_members}.
 */
public final class ClusterWatch {

  /** How often a member compares its applied route state with the cluster's. */
  public static final long RECONCILE_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

  private final Vertx vertx;
  private final ClusterOptions options;
  private final IntSupplier members;
  private final AtomicInteger merges = new AtomicInteger();

  private ClusterWatch(Vertx vertx, ClusterOptions options, IntSupplier members) {
    this.vertx = vertx;
    this.options = options;
    this.members = members;
  }

  /**
   * Starts watching on {@code vertx}: reconciles every {@code periodMs} by sending
   * {@code {reason}} to {@code syncAddress} on this member only.
   */
  public static ClusterWatch start(Vertx vertx, ClusterOptions options, String syncAddress, long periodMs) {
    HazelcastInstance hazelcast = HazelcastInstances.of(vertx);
    IntSupplier members = hazelcast == null ? () -> 1 : () -> hazelcast.getCluster().getMembers().size();
    ClusterWatch watch = new ClusterWatch(vertx, options, members);
    if (hazelcast != null) {
      DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
      vertx.setPeriodic(periodMs, id -> vertx.eventBus().publish(syncAddress,
          new JsonObject().put("reason", "reconcile"), local));
      hazelcast.getLifecycleService().addLifecycleListener(event -> {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          watch.merges.incrementAndGet();
          LOG.warn("This member's side of a partition merged into the cluster ({} members now): adopting the "
              + "cluster's route state", members.getAsInt());
          vertx.runOnContext(v -> vertx.eventBus().publish(syncAddress, new JsonObject().put("reason", "merged"),
              local));
        }
      });
      if (options.quorum() == 0) {
        LOG.warn("cluster.expected_members is not set: route changes are not protected by a quorum, and both sides "
            + "of a partition would accept them");
      }
    }
    return watch;
  }

  /** The members this one sees now (itself included). */
  public int members() {
    return members.getAsInt();
  }

  /** Whether this member's cluster may change routes: no quorum configured, or at least a majority of the expected. */
  public boolean hasQuorum() {
    return options.quorum() == 0 || members() >= options.quorum();
  }

  /** {@code {members, expected_members, quorum, has_quorum, merges}}: for readiness and the admin API. */
  public JsonObject toJson() {
    return new JsonObject().put("members", members()).put("expected_members", options.expectedMembers())
        .put("quorum", options.quorum()).put("has_quorum", hasQuorum()).put("merges", merges.get());
  }
}
