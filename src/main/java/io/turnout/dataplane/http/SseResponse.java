package io.turnout.dataplane.http;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.provider.ChunkSink;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The client's side of a stream: each chunk is written as {@code data: {json}\n\n} the moment it
 * arrives. Status and headers go out with the first chunk, so a failure before it can still be
 * answered as a plain JSON error (and retried or rerouted upstream). A failure after it ends the
 * stream with an explicit error event and never with {@code [DONE]}.
 */
final class SseResponse implements ChunkSink {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final HttpServerResponse response;
  private final RequestTrace trace;
  private boolean started;

  SseResponse(HttpServerResponse response, RequestTrace trace) {
    this.response = response;
    this.trace = trace;
  }

  /** Whether any chunk has reached the client. */
  boolean started() {
    return started;
  }

  @Override
  public void onChunk(Buffer chunkJson) {
    if (response.closed()) {
      return;
    }
    if (!started) {
      started = true;
      trace.firstChunk();
      Headers.write(response, trace);
      response.setStatusCode(200)
          .setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache")
          .putHeader("x-accel-buffering", "no");
    }
    response.write(Buffer.buffer(chunkJson.length() + 8).appendBytes(DATA).appendBuffer(chunkJson).appendBytes(END_EVENT));
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
  }

  /** Ends a stream that reached its terminal event. */
  void finish() {
    if (!response.closed() && !response.ended()) {
      response.end(DONE);
    }
  }

  /** Ends the stream with an error: an SSE error event if chunks went out, else a JSON error answer. */
  void fail(ApiError error) {
    if (!started) {
      ErrorResponses.send(response, error, trace);
      return;
    }
    if (response.closed() || response.ended()) {
      return;
    }
    // Both forms the official SDKs raise on: an "error" event name and an "error" key in the data.
    Buffer event = Buffer.buffer("event: error\ndata: ")
        .appendBuffer(error.toBusJson().toBuffer())
        .appendBytes(END_EVENT);
    response.end(event);
  }
}
