package io.turnout.controlplane.cluster;

import com.hazelcast.config.Config;
import io.turnout.testing.LoopbackHazelcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A JVM service in its own process, as an operator's own service would be: it joins the Turnout
 * cluster (args: cluster name, model alias, the cluster's first Hazelcast port), serves no HTTP, asks the nodes for one completion
 * over the event bus and then prints every route event. Output lines, for whoever watches:
 * {@code COMPLETION <json>}, {@code FAILURE <json>}, {@code EVENT <json>}.
 */
public final class JvmServiceMain {

  private JvmServiceMain() {}

  public static void main(String[] args) {
    Config hazelcast = LoopbackHazelcast.config(args[0], Integer.parseInt(args[2]));
    Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close()));
    JvmServiceClient client = new JvmServiceClient(vertx, null);
    client.onRouteEvent(event -> System.out.println("EVENT " + event.encode())).completion().await();
    client.complete(args[1], "Summarize the ticket.").onComplete(ar -> System.out.println(ar.succeeded()
        ? "COMPLETION " + ((JsonObject) ar.result().body()).encode()
        : "FAILURE " + JvmServiceClient.describe(ar.cause()).encode()));
  }
}
