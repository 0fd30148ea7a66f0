package io.turnout.controlplane.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.turnout.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;

/** Builds the node's Vert.x: clustered through vertx-hazelcast when {@code cluster.enabled}, else alone. */
public final class ClusterJoin {

  private ClusterJoin() {}

  /**
   * Blocking (reads the Hazelcast XML, waits for the join): call from {@code main}, never an event loop.
   *
   * @param confDir the config directory, which {@code cluster.config} is relative to
   */
  public static Vertx vertx(ClusterOptions cluster, Path confDir, VertxOptions options, VertxMetricsFactory metrics) {
    if (!cluster.enabled()) {
      return Vertx.builder().with(options).withMetrics(metrics).build();
    }
    Path file = confDir.resolve(cluster.config()).normalize();
    Config hazelcast;
    try {
      hazelcast = new XmlConfigBuilder(file.toString()).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(file.toString(), "", "not a usable Hazelcast configuration: " + e.getMessage());
    }
    HazelcastSettings.apply(cluster, hazelcast);
    HazelcastSettings.apply(cluster, options.getEventBusOptions());
    return Vertx.builder().with(options).withMetrics(metrics)
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered().await();
  }
}
