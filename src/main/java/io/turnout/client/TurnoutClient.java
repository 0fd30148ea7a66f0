package io.turnout.client;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A JVM service's client of a Turnout cluster: it joins the nodes' Hazelcast cluster as a
 * <em>lite member</em> (it holds no data partitions, so it never carries route state and may come
 * and go freely), sends chat requests to the nodes over the event bus and hears route events. It
 * serves no HTTP. The nodes authenticate it like an HTTP caller, with a client key.
 *
 * <pre>{@code
 * TurnoutClient client = TurnoutClient.join(Path.of("cluster/cluster.xml"), "turnout", clientKey).await();
 * client.complete("support-summary-v3", "Summarize the ticket.")
 *     .onSuccess(reply -> System.out.println(reply.body()));
 * client.onRouteEvent(event -> System.out.println(event.getString("type")));
 * }</pre>
 */
public final class TurnoutClient implements AutoCloseable {

  /** The nodes' chat address (request/reply; the body is the OpenAI chat request). */
  public static final String CHAT = "turnout.chat.completions";
  /** Route changes, published by the nodes ({@code applied}, {@code changed}, {@code gate_action}, ...). */
  public static final String ROUTE_EVENTS = "turnout.route.events";
  /** How long a completion may take before the request fails (above any route's deadline). */
  public static final long DEFAULT_SEND_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final String clientKey;
  private final HazelcastClusterManager manager;

  /** A client on a clustered Vert.x of the caller's own (it stays the caller's to close). */
  public TurnoutClient(Vertx vertx, String clientKey) {
    this(vertx, clientKey, null);
  }

  private TurnoutClient(Vertx vertx, String clientKey, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.clientKey = clientKey;
    this.manager = manager;
  }

  /**
   * Joins the cluster described by {@code hazelcast} (its cluster name, network and join settings:
   * the nodes' own {@code cluster.xml} serves) as a lite member. Blocking work happens on
   * Vert.x's threads; await the future off an event loop.
   *
   * @param clientKey a client key the nodes configure, or null when they configure none
   */
  public static Future<TurnoutClient> join(Config hazelcast, String clientKey) {
    hazelcast.setLiteMember(true);
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    return Vertx.builder().withClusterManager(manager).buildClustered()
        .map(vertx -> new TurnoutClient(vertx, clientKey, manager));
  }

  /** Joins with the nodes' Hazelcast XML and their {@code cluster.name}. */
  public static Future<TurnoutClient> join(Path clusterXml, String clusterName, String clientKey) {
    try {
      Config hazelcast = new XmlConfigBuilder(clusterXml.toString()).build().setClusterName(clusterName);
      return join(hazelcast, clientKey);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /** Whether this client is a lite member of the cluster (true for a client that joined itself). */
  public boolean liteMember() {
    return manager != null && manager.getHazelcastInstance().getCluster().getLocalMember().isLiteMember();
  }

  /** One completion of a user message: the reply's body is the OpenAI {@code chat.completion} JSON. */
  public Future<Message<Object>> complete(String alias, String userText) {
    return complete(new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", userText))));
  }

  /**
   * One completion of an OpenAI chat request ({@code stream: true} is refused: use HTTP). A
   * failure is a {@link ReplyException} the node classified: see {@link #describe}.
   */
  public Future<Message<Object>> complete(JsonObject request) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(DEFAULT_SEND_TIMEOUT_MS);
    if (clientKey != null) {
      options.addHeader("authorization", "Bearer " + clientKey);
    }
    return vertx.eventBus().request(CHAT, request, options);
  }

  /** A failure as the node classified it: {@code {error, error_class, provider, status}}. */
  public static JsonObject describe(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureCode() > 0) {
      return new JsonObject(reply.getMessage()).put("status", reply.failureCode());
    }
    return new JsonObject().put("status", 0).put("error_class", "unreachable").put("message", failure.getMessage());
  }

  /** Calls {@code listener} with every route event; complete the consumer's {@code completion()} first. */
  public MessageConsumer<JsonObject> onRouteEvent(Consumer<JsonObject> listener) {
    return vertx.eventBus().consumer(ROUTE_EVENTS, message -> listener.accept(message.body()));
  }

  /** Leaves the cluster when this client joined it itself. */
  @Override
  public void close() {
    if (manager != null) {
      vertx.close();
    }
  }
}
