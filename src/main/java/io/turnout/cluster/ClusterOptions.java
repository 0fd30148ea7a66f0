package io.turnout.cluster;

import io.turnout.config.ConfigNode;

/**
 * Whether and how the node joins a Hazelcast cluster (vertx-hazelcast).
 *
 * @param enabled join a cluster; off by default, a node then runs alone
 * @param config the Hazelcast XML configuration, relative to the config directory
 * @param name the cluster name, overriding the XML's: nodes join only nodes of the same name
 */
public record ClusterOptions(boolean enabled, String config, String name) {

  public static final String DEFAULT_CONFIG = "../cluster/cluster.xml";
  public static final String DEFAULT_NAME = "turnout";

  /** Reads {@code cluster}; every field optional. */
  public static ClusterOptions fromConfig(ConfigNode node) {
    ClusterOptions options = new ClusterOptions(node.bool("enabled", false),
        node.optString("config", DEFAULT_CONFIG), node.optString("name", DEFAULT_NAME));
    node.finish();
    return options;
  }
}
