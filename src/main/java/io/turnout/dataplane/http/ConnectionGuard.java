package io.turnout.dataplane.http;

import io.turnout.dataplane.observability.RequestObserver;
import io.turnout.dataplane.chat.RequestIds;
import io.turnout.dataplane.observability.RequestTrace;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts off clients that hold a connection without using it, the way nginx's
 * {@code client_header_timeout} and {@code keepalive_timeout} do: a new connection must send its
 * first request's headers within {@code http.header_timeout_ms}, and a kept-alive one its next
 * request's headers within {@code http.keep_alive_timeout_ms} of the previous answer. No
 * response can be written before a request's headers are read, so such a connection is closed;
 * a first request that never arrived is logged and counted as a 408. Connections beyond
 * {@code http.max_connections} are closed at once. One guard per event loop: its state is
 * touched only on that loop.
 */
final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final FrontDoor door;
  private final RequestObserver observer;
  /** Per connection: the timer waiting for the next request's headers, or -1 while one is in progress. */
  private final Map<HttpConnection, long[]> waiting = new HashMap<>();

  ConnectionGuard(Vertx vertx, FrontDoor door, RequestObserver observer) {
    this.vertx = vertx;
    this.door = door;
    this.observer = observer;
  }

  /** The server's connection handler. */
  void connected(HttpConnection connection) {
    if (!door.admit()) {
      LOG.warn("Closed a client connection from {}: http.max_connections ({}) are open",
          connection.remoteAddress(), door.limits().maxConnections());
      connection.close();
      return;
    }
    long[] state = {-1, 0};
    waiting.put(connection, state);
    connection.closeHandler(v -> {
      long[] s = waiting.remove(connection);
      if (s != null && s[0] >= 0) {
        vertx.cancelTimer(s[0]);
      }
      door.closed();
    });
    arm(connection, state, door.limits().headerTimeoutMs());
  }

  /** A request's headers arrived on {@code request}'s connection: stop waiting until its answer ends. */
  void requestArrived(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    long[] state = waiting.get(connection);
    if (state == null) {
      return;
    }
    if (state[0] >= 0) {
      vertx.cancelTimer(state[0]);
      state[0] = -1;
    }
    state[1]++;
    // The body-end handler, not the end handler: that one belongs to the request's own handlers,
    // and this must run only when an answer really ended (a closed connection is cleaned up above).
    request.response().bodyEndHandler(v -> {
      long[] s = waiting.get(connection);
      if (s != null && s[0] < 0) {
        arm(connection, s, door.limits().keepAliveTimeoutMs());
      }
    });
  }

  private void arm(HttpConnection connection, long[] state, long delayMs) {
    state[0] = vertx.setTimer(delayMs, id -> {
      state[0] = -1;
      if (state[1] == 0) {
        // Nothing was ever answered on it: a client that connected and stalled in its headers.
        door.timedOut();
        RequestTrace trace = new RequestTrace(RequestIds.fromClient(null));
        observer.completed(trace, 408);
        LOG.info("Closed a client connection from {}: no complete request headers within {} ms",
            connection.remoteAddress(), delayMs);
      }
      connection.close();
    });
  }
}
