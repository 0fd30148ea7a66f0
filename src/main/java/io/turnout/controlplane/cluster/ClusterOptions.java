package io.turnout.controlplane.cluster;

import io.turnout.config.ConfigNode;
import java.util.List;
import java.util.Map;

/**
 * Whether and how the node joins a Hazelcast cluster (vertx-hazelcast). The network settings
 * override the Hazelcast XML, so one XML serves every host and a container gets its addresses
 * from its environment.
 *
 * @param enabled join a cluster; off by default, a node then runs alone
 * @param config the Hazelcast XML configuration, relative to the config directory
 * @param name the cluster name, overriding the XML's: nodes join only nodes of the same name
 * @param host the address this member binds for Hazelcast and the clustered event bus, or null
 *     for the XML's interfaces (and the event bus's default)
 * @param publicHost the address other members reach this one at (NAT, containers), or null for
 *     {@code host}
 * @param port the Hazelcast member port, or 0 for the XML's (5701 in the shipped one, with
 *     auto-increment); a configured port is used as is, never the next one
 * @param eventBusPort the clustered event bus's TCP port (0: a random one, only for one host)
 * @param members the members to join over TCP-IP ({@code host:port}), replacing the XML's list;
 *     empty for the XML's
 * @param expectedMembers the configured cluster size: route changes commit only while a majority
 *     of it is in this member's cluster; 0 for no quorum (a single node, or a cluster whose size
 *     is not known)
 */
public record ClusterOptions(boolean enabled, String config, String name, String host, String publicHost, int port,
    int eventBusPort, List<String> members, int expectedMembers) {

  public static final String DEFAULT_CONFIG = "../cluster/cluster.xml";
  public static final String DEFAULT_NAME = "turnout";
  /** The clustered event bus's port: fixed, so firewalls between hosts can open it. */
  public static final int DEFAULT_EVENT_BUS_PORT = 5801;
  /** Override {@code cluster.host}, {@code public_host}, {@code port} and {@code event_bus_port}. */
  public static final String ENV_HOST = "TURNOUT_CLUSTER_HOST";
  public static final String ENV_PUBLIC_HOST = "TURNOUT_CLUSTER_PUBLIC_HOST";
  public static final String ENV_PORT = "TURNOUT_CLUSTER_PORT";
  public static final String ENV_EVENT_BUS_PORT = "TURNOUT_EVENT_BUS_PORT";

  public ClusterOptions {
    members = List.copyOf(members);
  }

  /** A cluster with the XML's network settings and no quorum. */
  public ClusterOptions(boolean enabled, String config, String name) {
    this(enabled, config, name, null, null, 0, DEFAULT_EVENT_BUS_PORT, List.of(), 0);
  }

  /** Reads {@code cluster}; every field optional. */
  public static ClusterOptions fromConfig(ConfigNode node) {
    return fromConfig(node, Map.of());
  }

  /** Reads {@code cluster}, with the network overrides of {@code env}. */
  public static ClusterOptions fromConfig(ConfigNode node, Map<String, String> env) {
    boolean enabled = node.bool("enabled", false);
    String config = node.optString("config", DEFAULT_CONFIG);
    String name = node.optString("name", DEFAULT_NAME);
    String host = env.getOrDefault(ENV_HOST, node.optString("host", null));
    String publicHost = env.getOrDefault(ENV_PUBLIC_HOST, node.optString("public_host", null));
    int port = node.intValue("port", 0, 0, 65_535);
    int eventBusPort = node.intValue("event_bus_port", DEFAULT_EVENT_BUS_PORT, 0, 65_535);
    List<String> members = node.stringList("members");
    for (int i = 0; i < members.size(); i++) {
      if (!members.get(i).matches("[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}")) {
        throw new io.turnout.config.ConfigException(node.file(), node.pathOf("members") + "[" + i + "]",
            "must be host:port, e.g. 10.0.0.11:5701");
      }
    }
    int expected = node.intValue("expected_members", 0, 0, 1_000);
    node.finish();
    port = override(env, ENV_PORT, port, node, "port");
    eventBusPort = override(env, ENV_EVENT_BUS_PORT, eventBusPort, node, "event_bus_port");
    return new ClusterOptions(enabled, config, name, blankToNull(host), blankToNull(publicHost), port, eventBusPort,
        members, expected);
  }

  /** Members whose cluster may change routes: a majority of {@link #expectedMembers}, or 0 without quorum. */
  public int quorum() {
    return expectedMembers == 0 ? 0 : expectedMembers / 2 + 1;
  }

  private static int override(Map<String, String> env, String variable, int value, ConfigNode node, String key) {
    String text = env.get(variable);
    if (text == null || text.isBlank()) {
      return value;
    }
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new io.turnout.config.ConfigException(variable, "", "must be a port number (0-65535), got '" + text
        + "' (overrides " + node.pathOf(key) + ")");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
