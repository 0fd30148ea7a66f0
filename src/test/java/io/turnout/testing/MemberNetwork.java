package io.turnout.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where a member process listens. {@code clusterPort} 0 and no {@code members}: the XML's network
 * (the free block on 127.0.0.1); otherwise {@code cluster.host}, {@code port},
 * {@code event_bus_port} and {@code members} in turnout.yaml, as the README documents for several
 * hosts.
 */
public record MemberNetwork(String host, int httpPort, int adminPort, int clusterPort, int eventBusPort,
    List<String> members) {

  /** On 127.0.0.1, the XML's cluster network, free ports of its own. */
  public static MemberNetwork loopback() throws IOException {
    return new MemberNetwork("127.0.0.1", MemberProcesses.freePort(), MemberProcesses.freePort(), 0,
        MemberProcesses.freePort(), List.of());
  }

  /** The multi-host settings: this member binds everything on {@code host}. */
  public static MemberNetwork explicit(String host, int httpPort, int adminPort, int clusterPort, int eventBusPort,
      List<String> members) {
    return new MemberNetwork(host, httpPort, adminPort, clusterPort, eventBusPort, members);
  }

  /**
   * One member per address of {@code hosts}, every port the same on each address (and free on all
   * of them and on 127.0.0.1), {@code cluster.members} listing exactly the members.
   */
  public static List<MemberNetwork> onAddresses(List<String> hosts) throws IOException {
    List<String> all = new ArrayList<>(hosts);
    all.add("127.0.0.1");
    List<Integer> ports = freePorts(4, all);
    List<String> members = hosts.stream().map(h -> h + ":" + ports.get(2)).toList();
    return hosts.stream().map(h -> explicit(h, ports.get(0), ports.get(1), ports.get(2), ports.get(3), members))
        .toList();
  }

  /**
   * {@code count} members on 127.0.0.1 with ports of their own and {@code cluster.members} listing
   * exactly them: a merge or join tries only real members (an address nobody listens on costs
   * Hazelcast's connection timeout, 5 s, on every split-brain check).
   */
  public static List<MemberNetwork> onLoopback(int count) throws IOException {
    List<Integer> ports = freePorts(4 * count, List.of("127.0.0.1"));
    List<String> members = IntStream.range(0, count).mapToObj(i -> "127.0.0.1:" + ports.get(4 * i + 2)).toList();
    return IntStream.range(0, count).mapToObj(i -> explicit("127.0.0.1", ports.get(4 * i), ports.get(4 * i + 1),
        ports.get(4 * i + 2), ports.get(4 * i + 3), members)).toList();
  }

  String clusterYaml() {
    if (clusterPort == 0) {
      return "event_bus_port: " + eventBusPort;
    }
    return "host: " + host + ", port: " + clusterPort + ", event_bus_port: " + eventBusPort + ", members: ["
        + String.join(", ", members) + "]";
  }

  /** {@code count} distinct ports, each free on every one of {@code hosts}. */
  public static List<Integer> freePorts(int count, List<String> hosts) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int tries = 0; ports.size() < count && tries < 1_000; tries++) {
      int port = MemberProcesses.freePort();
      if (!ports.contains(port) && hosts.stream().allMatch(host -> isFree(host, port))) {
        ports.add(port);
      }
    }
    if (ports.size() < count) {
      throw new IllegalStateException("no " + count + " ports free on all of " + hosts);
    }
    return ports;
  }

  private static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
