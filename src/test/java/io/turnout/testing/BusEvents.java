package io.turnout.testing;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Records every JSON message published on one event-bus address from the moment it is created,
 * so a test can wait for an event the node publishes by itself (a rejected edit, an expiry, a
 * breaker opening) instead of sleeping. Blocking helpers: call from the test thread.
 */
public final class BusEvents {

  private final Vertx vertx;
  private final MessageConsumer<JsonObject> consumer;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private BusEvents(Vertx vertx, String address) {
    this.vertx = vertx;
    this.consumer = vertx.eventBus().consumer(address, message -> events.add(message.body()));
  }

  /** Starts recording; returns once the consumer is registered, so no later event is missed. */
  public static BusEvents record(Vertx vertx, String address) {
    BusEvents recorder = new BusEvents(vertx, address);
    recorder.consumer.completion().await();
    return recorder;
  }

  /** The events recorded so far that match, oldest first. */
  public List<JsonObject> matching(Predicate<JsonObject> filter) {
    return events.stream().filter(filter).toList();
  }

  /** Waits for the first recorded event that matches, and returns it. */
  public JsonObject await(String what, long timeoutMs, Predicate<JsonObject> filter) {
    Eventually.await(vertx, what, timeoutMs, () -> !matching(filter).isEmpty());
    return matching(filter).get(0);
  }

  /** Stops recording. */
  public void close() {
    consumer.unregister().await();
  }
}
