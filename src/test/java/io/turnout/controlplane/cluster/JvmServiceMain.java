package io.turnout.controlplane.cluster;

import io.turnout.client.TurnoutClient;
import io.turnout.testing.LoopbackHazelcast;
import io.vertx.core.json.JsonObject;

/**
 * A JVM service in its own process, as an operator's own service would be: it joins the Turnout
 * cluster as a lite member through {@link TurnoutClient} (args: cluster name, model alias, the
 * cluster's first Hazelcast port), serves no HTTP, asks the nodes for one completion over the
 * event bus and then prints every route event. Output lines, for whoever watches: {@code LITE
 * <true|false>}, {@code COMPLETION <json>}, {@code FAILURE <json>}, {@code EVENT <json>}.
 */
public final class JvmServiceMain {

  private JvmServiceMain() {}

  public static void main(String[] args) {
    TurnoutClient client = TurnoutClient.join(LoopbackHazelcast.config(args[0], Integer.parseInt(args[2])), null)
        .await();
    Runtime.getRuntime().addShutdownHook(new Thread(client::close));
    System.out.println("LITE " + client.liteMember());
    client.onRouteEvent(event -> System.out.println("EVENT " + event.encode())).completion().await();
    client.complete(args[1], "Summarize the ticket.").onComplete(ar -> System.out.println(ar.succeeded()
        ? "COMPLETION " + ((JsonObject) ar.result().body()).encode()
        : "FAILURE " + TurnoutClient.describe(ar.cause()).encode()));
  }
}
