package io.turnout.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A JVM service in its own process, as an operator's own service would be: it joins the Turnout
 * cluster (args: cluster name, model alias), serves no HTTP, asks the nodes for one completion
 * over the event bus and then prints every route event. Output lines, for whoever watches:
 * {@code COMPLETION <json>}, {@code FAILURE <json>}, {@code EVENT <json>}.
 */
public final class JvmServiceMain {

  private JvmServiceMain() {}

  public static void main(String[] args) {
    Config hazelcast = new Config().setClusterName(args[0]);
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(20);
    hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:5701").addMember("127.0.0.1:5702")
        .addMember("127.0.0.1:5703");
    Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close()));
    JvmServiceClient client = new JvmServiceClient(vertx, null);
    client.onRouteEvent(event -> System.out.println("EVENT " + event.encode())).completion().await();
    client.complete(args[1], "Summarize the ticket.").onComplete(ar -> System.out.println(ar.succeeded()
        ? "COMPLETION " + ((JsonObject) ar.result().body()).encode()
        : "FAILURE " + JvmServiceClient.describe(ar.cause()).encode()));
  }
}
