package io.turnout.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Hazelcast configuration of test and benchmark cluster members: loopback only, TCP-IP join
 * on a block of {@link #PORTS} ports that were free when the cluster was first named, no
 * multicast, no join wait, and a cluster name of the caller's, so members join only their own
 * test's cluster and two test runs on one machine never see each other.
 */
public final class LoopbackHazelcast {

  /** Ports per cluster: members bind the first free one of the block and list all of them. */
  public static final int PORTS = 10;

  private static final Map<String, Integer> BASES = new ConcurrentHashMap<>();

  private LoopbackHazelcast() {}

  /** The configuration of a member of {@code clusterName}, on that cluster's port block. */
  public static Config config(String clusterName) {
    return config(clusterName, basePort(clusterName));
  }

  /** The configuration of a member of a cluster whose port block starts at {@code basePort}. */
  public static Config config(String clusterName, int basePort) {
    Config hazelcast = new Config().setClusterName(clusterName);
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    // As the shipped cluster.xml: a healed partition merges within seconds.
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hazelcast.getNetworkConfig().setPort(basePort).setPortAutoIncrement(true).setPortCount(PORTS);
    hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port = basePort; port < basePort + PORTS; port++) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    }
    return hazelcast;
  }

  /**
   * The first port of {@code clusterName}'s block, chosen once per cluster name: a block of
   * {@link #PORTS} ports on 127.0.0.1 that were all free when it was chosen, away from
   * Hazelcast's default 5701 and from the ephemeral range.
   */
  public static int basePort(String clusterName) {
    return BASES.computeIfAbsent(clusterName, name -> freeBlock());
  }

  private static int freeBlock() {
    for (int tries = 0; tries < 200; tries++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(2_000) * PORTS;
      if (BASES.containsValue(base)) {
        continue;
      }
      boolean free = true;
      for (int port = base; port < base + PORTS && free; port++) {
        free = isFree(port);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free block of " + PORTS + " ports on 127.0.0.1 between 20000 and 40000");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
