package io.turnout.dataplane.http;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.observability.RequestTrace;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * A chat request in flight, as the graceful shutdown sees it: when the grace period ends before
 * the request did, its upstream attempt is cancelled and the client gets an answer rather than a
 * cut connection: a 503 {@code node_shutting_down} if nothing was sent yet, else an SSE error
 * event of that code (never {@code [DONE]}: the stream is incomplete).
 */
final class ShutdownAbort implements FrontDoor.InFlight {

  static final String CODE = "node_shutting_down";

  private final Context context;
  private final HttpServerResponse response;
  private final RequestTrace trace;
  private final Promise<Void> cancelled;
  private SseResponse stream;

  ShutdownAbort(RoutingContext ctx, HttpServerResponse response, RequestTrace trace, Promise<Void> cancelled) {
    this.context = ctx.vertx().getOrCreateContext();
    this.response = response;
    this.trace = trace;
    this.cancelled = cancelled;
  }

  /** The request streams through {@code sse}. */
  void stream(SseResponse sse) {
    this.stream = sse;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void endForShutdown() {
    ApiError error = ApiError.client(503, "api_error",
        "The node is shutting down and could not finish this request in its grace period; retry it.", CODE);
    if (!response.headWritten()) {
      response.putHeader("connection", "close");
    }
    if (stream != null) {
      stream.fail(error);
    } else {
      ErrorResponses.send(response, error, trace);
    }
    cancelled.tryComplete();
  }
}
