package io.turnout.controlplane.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * The example of a JVM service on the cluster, documented in README: a Vert.x member that serves
 * no HTTP, joins the Turnout cluster (same Hazelcast cluster name), sends chat requests to the
 * nodes' event-bus address and listens to route events. Build its {@code Vertx} with
 * {@code Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered()}.
 */
public final class JvmServiceClient {

  /** The nodes' chat address (request/reply). */
  public static final String CHAT = "turnout.chat.completions";
  /** Route changes, published by every node. */
  public static final String ROUTE_EVENTS = "turnout.route.events";

  private final Vertx vertx;
  private final String clientKey;

  /**
   * @param clientKey a client key configured on the nodes, or null when they configure none
   */
  public JvmServiceClient(Vertx vertx, String clientKey) {
    this.vertx = vertx;
    this.clientKey = clientKey;
  }

  /** One completion: the OpenAI {@code chat.completion} JSON, or a failed future (see {@link #describe}). */
  public Future<Message<Object>> complete(String alias, String userText) {
    JsonObject request = new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", userText)));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
    if (clientKey != null) {
      options.addHeader("authorization", "Bearer " + clientKey);
    }
    return vertx.eventBus().request(CHAT, request, options);
  }

  /** A failure as the node classified it: the HTTP status and {@code {error, error_class, provider}}. */
  public static JsonObject describe(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureCode() > 0) {
      return new JsonObject(reply.getMessage()).put("status", reply.failureCode());
    }
    return new JsonObject().put("status", 0).put("error_class", "unreachable").put("message", failure.getMessage());
  }

  /** Calls {@code listener} with every route event ({@code applied}, {@code changed}, {@code expired}, ...). */
  public MessageConsumer<JsonObject> onRouteEvent(Consumer<JsonObject> listener) {
    return vertx.eventBus().consumer(ROUTE_EVENTS, message -> listener.accept(message.body()));
  }
}
