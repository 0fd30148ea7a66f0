package io.turnout.dataplane.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.turnout.dataplane.http.HttpOptions;
import io.vertx.core.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every instance of the HTTP front door shares, node-wide: the client limits, the count of
 * open client connections (capped at {@code http.max_connections}), the requests in flight (so a
 * shutdown can wait for them, and end those still running at its deadline), and whether the node
 * is draining.
 */
public final class FrontDoor {

  /** A request in flight: ended by {@link #endAll()} on its own event loop when the grace period ends. */
  interface InFlight {
    Context context();

    /** Answers 503, or ends a stream with an error event, and cancels the upstream attempt. */
    void endForShutdown();
  }

  private final HttpOptions limits;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
  private final Counter refused;
  private final Counter timedOut;
  private final BodyBudget bodies;
  private final java.util.List<io.vertx.core.http.HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean draining;

  public FrontDoor(HttpOptions limits, MeterRegistry registry) {
    this.limits = limits;
    this.bodies = new BodyBudget(limits.maxBodyBytesInFlight());
    Gauge.builder("turnout_http_connections_open", open, AtomicInteger::get)
        .description("Client connections open on the HTTP front door").register(registry);
    this.refused = Counter.builder("turnout_http_connections_refused_total")
        .description("Client connections closed at once because http.max_connections were open").register(registry);
    this.timedOut = Counter.builder("turnout_http_client_timeouts_total")
        .description("Client connections closed because headers or a body stalled, or the keep-alive ran out")
        .register(registry);
  }

  public HttpOptions limits() {
    return limits;
  }

  /** Counts a new connection; false (and counted as refused) when the cap is reached. */
  boolean admit() {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused.increment();
      return false;
    }
    return true;
  }

  void closed() {
    open.decrementAndGet();
  }

  void timedOut() {
    timedOut.increment();
  }

  /** The node-wide budget of request body bytes held at once. */
  BodyBudget bodies() {
    return bodies;
  }

  /** Request body bytes held now (reserved by requests not yet ended). */
  public long bodyBytesHeld() {
    return bodies.held();
  }

  /** Client connections open now. */
  public int openConnections() {
    return open.get();
  }

  void started(InFlight request) {
    inFlight.add(request);
  }

  void finished(InFlight request) {
    inFlight.remove(request);
  }

  /** Requests in flight now. */
  public int inFlight() {
    return inFlight.size();
  }

  /** An instance's server is listening (so a shutdown can stop it accepting). */
  void listening(io.vertx.core.http.HttpServer server) {
    servers.add(server);
  }

  /**
   * Stops every instance's server from accepting connections; kept-alive connections close after
   * their request in flight. Completes when all are closed or after {@code timeoutMs}.
   */
  public io.vertx.core.Future<Void> stopAccepting(long timeoutMs) {
    return io.vertx.core.Future.join(servers.stream()
        .map(server -> server.shutdown(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)).toList())
        .mapEmpty();
  }

  /** From now on the node is shutting down: new requests on kept-alive connections are told to close. */
  public void drain() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** Ends every request still in flight, each on its own event loop (the grace period is over). */
  public void endAll() {
    for (InFlight request : Set.copyOf(inFlight)) {
      request.context().runOnContext(v -> request.endForShutdown());
    }
  }
}
