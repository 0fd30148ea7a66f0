package io.turnout.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;

/**
 * The Hazelcast configuration of test and benchmark cluster members: loopback only, TCP-IP join
 * on ports 5701-5710, no multicast, no join wait, and a cluster name of the caller's, so members
 * join only their own test's cluster.
 */
public final class LoopbackHazelcast {

  private LoopbackHazelcast() {}

  public static Config config(String clusterName) {
    Config hazelcast = new Config().setClusterName(clusterName);
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(40);
    hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port = 5701; port < 5711; port++) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    }
    return hazelcast;
  }
}
