package io.turnout.controlplane.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.vertx.core.eventbus.EventBusOptions;

/**
 * Applies {@link ClusterOptions} to the Hazelcast configuration read from the XML and to the
 * clustered event bus: the addresses and ports a member binds and advertises, the members to
 * join, and the quorum that guards the route state. Pure: it only changes the objects it is given.
 */
public final class HazelcastSettings {

  /** The split-brain protection that guards route changes. */
  public static final String ROUTE_QUORUM = "turnout-route-quorum";

  private HazelcastSettings() {}

  /** Overrides the XML's network settings where {@code options} set them, and adds the route quorum. */
  public static Config apply(ClusterOptions options, Config hazelcast) {
    hazelcast.setClusterName(options.name());
    NetworkConfig network = hazelcast.getNetworkConfig();
    if (options.port() > 0) {
      // A configured port is the one opened between hosts and listed in the others' members: if
      // it is taken, the member fails to start rather than moving to the next free one (the XML's
      // auto-increment, for members sharing one loopback host), where nobody would reach it.
      network.setPort(options.port()).setPortAutoIncrement(false);
    }
    if (options.host() != null) {
      network.getInterfaces().clear().setEnabled(true).addInterface(options.host());
      hazelcast.setProperty("hazelcast.local.localAddress", options.host());
      hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    }
    String advertised = options.publicHost() != null ? options.publicHost() : options.host();
    if (options.publicHost() != null) {
      network.setPublicAddress(advertised + ":" + network.getPort());
    }
    if (!options.members().isEmpty()) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(options.members());
    }
    if (options.quorum() > 0) {
      // Hazelcast refuses writes to the route state on a side of a partition with fewer members
      // than the majority of the configured size: the minority keeps serving, but cannot change.
      hazelcast.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(ROUTE_QUORUM, true, options.quorum())
          .setProtectOn(SplitBrainProtectionOn.WRITE));
      hazelcast.getMapConfig(RouteStateStore.MAP).setSplitBrainProtectionName(ROUTE_QUORUM);
    }
    return hazelcast;
  }

  /** The clustered event bus's address and port, so it can be reached through a firewall. */
  public static EventBusOptions apply(ClusterOptions options, EventBusOptions eventBus) {
    eventBus.setPort(options.eventBusPort());
    if (options.host() != null) {
      eventBus.setHost(options.host());
    }
    String advertised = options.publicHost() != null ? options.publicHost() : options.host();
    if (advertised != null) {
      eventBus.setClusterPublicHost(advertised);
    }
    if (options.eventBusPort() > 0) {
      eventBus.setClusterPublicPort(options.eventBusPort());
    }
    return eventBus;
  }
}
