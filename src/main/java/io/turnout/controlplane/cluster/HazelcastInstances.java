package io.turnout.controlplane.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast instance under a clustered Vert.x, for what the Vert.x API does not carry
 * (membership, lifecycle, a member's UUID). Vert.x 5 reaches its cluster manager only through
 * {@code io.vertx.core.internal.VertxInternal}; this is the one place that does.
 */
public final class HazelcastInstances {

  private HazelcastInstances() {}

  /** The instance, or null when {@code vertx} is not clustered on Hazelcast. */
  public static HazelcastInstance of(Vertx vertx) {
    if (vertx.isClustered() && vertx instanceof VertxInternal internal
        && internal.clusterManager() instanceof HazelcastClusterManager hazelcast) {
      return hazelcast.getHazelcastInstance();
    }
    return null;
  }
}
