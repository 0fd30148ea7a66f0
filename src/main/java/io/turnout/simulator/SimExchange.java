package io.turnout.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * One request to a simulated provider, from arrival to the end of its answer (or until the client
 * leaves). It owns the exchange's pending timer, writes events one at a time as they are due, and
 * tells the provider state when it ends and whether the client ended it first. Event-loop confined.
 */
final class SimExchange {

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final SimProviderState state;
  private long timerId = -1;
  private boolean done;
  private boolean streaming;

  SimExchange(Vertx vertx, HttpServerRequest request, SimProviderState state) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.state = state;
    state.exchangeOpened();
    response.closeHandler(v -> end(true));
    // a write racing the client's close fails here; the close handler does the accounting
    response.exceptionHandler(t -> { });
  }

  /** Whether the exchange is over (answered, closed by us, or closed by the client). */
  boolean done() {
    return done;
  }

  /** Sets a response header. */
  SimExchange header(String name, String value) {
    response.putHeader(name, value);
    return this;
  }

  /** Runs {@code action} after {@code delayMs}, unless the exchange is over by then. */
  void after(long delayMs, Runnable action) {
    if (done) {
      return;
    }
    if (delayMs <= 0) {
      action.run();
      return;
    }
    timerId = vertx.setTimer(delayMs, id -> {
      timerId = -1;
      if (!done) {
        action.run();
      }
    });
  }

  /** Sends a complete answer. */
  void send(int status, String contentType, Buffer body) {
    if (done) {
      return;
    }
    response.setStatusCode(status);
    if (contentType != null) {
      response.putHeader("content-type", contentType);
    }
    end(false);
    response.end(body);
  }

  /** Starts a 200 event stream; events follow with {@link #writeEvents}. */
  void startStream(String contentType) {
    if (done) {
      return;
    }
    response.setStatusCode(200).setChunked(true)
        .putHeader("content-type", contentType)
        .putHeader("cache-control", "no-cache");
    streaming = true;
    state.streamOpened();
  }

  /**
   * Writes events one by one, {@code intervalMs} apart, then runs {@code then}. Each event is its
   * own write (flushed, never batched); a full write queue waits for drain.
   */
  void writeEvents(List<SseEvent> events, long intervalMs, Runnable then) {
    pump(events, 0, intervalMs, then);
  }

  private void pump(List<SseEvent> events, int from, long intervalMs, Runnable then) {
    int next = from;
    while (next < events.size()) {
      if (done) {
        return;
      }
      response.write(events.get(next).encode());
      next++;
      if (next < events.size()) {
        int resume = next;
        if (intervalMs > 0) {
          after(intervalMs, () -> pump(events, resume, intervalMs, then));
          return;
        }
        if (response.writeQueueFull()) {
          response.drainHandler(v -> pump(events, resume, intervalMs, then));
          return;
        }
      }
    }
    if (!done) {
      then.run();
    }
  }

  /** Ends a stream normally (the terminal chunk of the chunked encoding). */
  void endStream() {
    if (done) {
      return;
    }
    end(false);
    response.end();
  }

  /** Sends a 200 head with chunked encoding and nothing more: the exchange stays open until the client leaves. */
  void stallAfterHead(String contentType) {
    if (done) {
      return;
    }
    response.setStatusCode(200).setChunked(true).putHeader("content-type", contentType);
    response.writeHead();
  }

  /** Announces the whole body's length, sends its first half, then closes the connection. */
  void cutBody(String contentType, Buffer body) {
    if (done) {
      return;
    }
    response.setStatusCode(200)
        .putHeader("content-type", contentType)
        .putHeader("content-length", String.valueOf(body.length()));
    response.write(body.getBuffer(0, body.length() / 2)).onComplete(ar -> closeConnection());
  }

  /**
   * Closes the connection at once, without (the rest of) a response. On HTTP/2 only this
   * exchange's stream is reset: other requests share the connection.
   */
  void closeConnection() {
    if (done) {
      return;
    }
    end(false);
    if (request.version() == HttpVersion.HTTP_2) {
      response.reset();
    } else {
      request.connection().close();
    }
  }

  /** Leaves the exchange open with no answer; only the client can end it. */
  void hang() {
    // nothing to do: the close handler does the accounting when the client gives up
  }

  private void end(boolean byClient) {
    if (done) {
      return;
    }
    done = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    state.exchangeEnded(streaming, byClient);
  }
}
