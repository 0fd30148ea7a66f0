package io.turnout.dataplane.http;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.provider.ChunkSink;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The client's side of a stream: each chunk is framed as {@code data: {json}\n\n} as it arrives.
 * The first goes out at once, with the head; after it, the frames of one upstream read go out in
 * one write, once that read is handled (or with the stream's end): one flush (one syscall, one
 * HTTP chunk) per read instead of one per event.
 * Status and headers go out with the first chunk, so a failure before it can still be answered as
 * a plain JSON error (and retried or rerouted upstream). A failure after it ends the stream with
 * an explicit error event and never with {@code [DONE]}.
 */
final class SseResponse implements ChunkSink {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final HttpServerResponse response;
  private final RequestTrace trace;
  private final Context context;
  private boolean started;
  /** Frames not yet written: those of the upstream read being handled now. */
  private Buffer pending;

  SseResponse(HttpServerResponse response, RequestTrace trace) {
    this.response = response;
    this.trace = trace;
    this.context = Vertx.currentContext();
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
      // The head and the first frame go at once: time to first chunk waits for nothing.
      response.write(Buffer.buffer(chunkJson.length() + 8).appendBytes(DATA).appendBuffer(chunkJson)
          .appendBytes(END_EVENT));
      return;
    }
    if (pending == null) {
      pending = Buffer.buffer(chunkJson.length() + 64);
      if (context != null) {
        // Runs once the event loop has handled the current read: every frame of it goes in one write.
        context.runOnContext(v -> flush());
      }
    }
    pending.appendBytes(DATA).appendBuffer(chunkJson).appendBytes(END_EVENT);
    if (context == null) {
      flush();
    }
  }

  /** Writes the frames waiting, if the client is still there. */
  private void flush() {
    Buffer frames = pending;
    pending = null;
    if (frames != null && !response.closed() && !response.ended()) {
      response.write(frames);
    }
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
    Buffer frames = pending;
    pending = null;
    if (!response.closed() && !response.ended()) {
      response.end(frames == null ? DONE : frames.appendBuffer(DONE));
    }
  }

  /** Ends the stream with an error: an SSE error event if chunks went out, else a JSON error answer. */
  void fail(ApiError error) {
    if (!started) {
      ErrorResponses.send(response, error, trace);
      return;
    }
    flush();
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
