package io.turnout.controlplane.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /console/events}: a Server-Sent Events stream for a logged-in console, relaying what
 * the node hears on the event bus (route changes and gate actions, verdict changes, drill steps,
 * members applying a revision) as {@code event: <name>} with the message's JSON as data. One
 * consumer per address for the whole listener, not one per browser tab. A stream ends when its
 * session does, and a client too slow to read its stream is dropped (its browser reconnects).
 * Everything here runs on the admin listener's event loop.
 */
final class ConsoleEvents {

  /** Comment lines this often keep proxies from closing an idle stream. */
  static final long HEARTBEAT_MS = 15_000;

  private record Stream(HttpServerResponse response, String sessionId) {}

  private final Set<Stream> streams = new LinkedHashSet<>();
  private final ConsoleAuth auth;
  private final ConsoleSessions sessions;

  ConsoleEvents(ConsoleAuth auth, ConsoleSessions sessions) {
    this.auth = auth;
    this.sessions = sessions;
  }

  /**
   * Subscribes to {@code addresses} (event name -> bus address); completes once every
   * subscription is in place cluster-wide, so no event after start is missed.
   */
  Future<Void> start(Vertx vertx, Map<String, String> addresses) {
    List<Future<Void>> registered = new ArrayList<>();
    addresses.forEach((event, address) -> registered.add(vertx.eventBus().<Object>consumer(address,
        message -> relay(event, message.body())).completion()));
    vertx.setPeriodic(HEARTBEAT_MS, id -> relay(null, null));
    return Future.all(registered).mapEmpty();
  }

  /** Opens a stream for the request's session, or answers 401. */
  void open(RoutingContext ctx) {
    ConsoleSessions.Session session = auth.session(ctx);
    if (session == null) {
      ConsoleRoutes.apiError(ctx, 401, "session_expired", "Log in to the console to follow its events.");
      return;
    }
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .putHeader("x-accel-buffering", "no");
    Stream stream = new Stream(response, session.id());
    streams.add(stream);
    response.closeHandler(v -> streams.remove(stream));
    response.write("retry: 2000\nevent: hello\ndata: "
        + new JsonObject().put("operator", session.operator()).encode() + "\n\n");
  }

  /** Sends one event to every stream (a heartbeat when {@code event} is null). */
  private void relay(String event, Object body) {
    String frame = event == null ? ": heartbeat\n\n"
        : "event: " + event + "\ndata: " + (body instanceof JsonObject json ? json.encode() : String.valueOf(body))
            + "\n\n";
    for (Stream stream : List.copyOf(streams)) {
      if (sessions.peek(stream.sessionId()) == null || stream.response().writeQueueFull()) {
        streams.remove(stream);
        stream.response().end();
      } else {
        stream.response().write(frame);
      }
    }
  }
}
