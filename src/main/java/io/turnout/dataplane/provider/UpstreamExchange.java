package io.turnout.dataplane.provider;

import io.turnout.dataplane.provider.sse.SseParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One upstream attempt from request to outcome, on one event loop. It owns the attempt's timers
 * (first byte, stream idle, total budget, stream duration) and the cancellation signal; whichever
 * ends the attempt first wins, and every loser is a no-op. A stream has two budgets: the attempt's
 * budget (the route's deadline, capped by {@code total_ms}) bounds the time to its first byte;
 * once it flows, only the stream-idle timeout and {@code max_stream_ms} bound it, so a healthy long
 * generation is not cut by the route's deadline. A failure resets the upstream request, so the provider
 * stops generating (and billing) for an answer nobody will read.
 *
 * @param <T> {@link Completion} for a plain call, {@link StreamSummary} for a stream
 */
final class UpstreamExchange<T> {

  private final Vertx vertx;
  private final ProviderOptions options;
  private final ProviderCodec codec;
  private final ChatCall call;
  private final ChunkSink sink;
  private final Promise<T> promise = Promise.promise();

  private HttpClientRequest request;
  private boolean responseRead;
  private boolean dataSeen;
  private String providerRequestId;
  private boolean done;
  private long totalTimer = -1;
  private long firstByteTimer = -1;
  private long idleTimer = -1;
  private long lastDataNanos;
  private int chunks;

  UpstreamExchange(Vertx vertx, ProviderOptions options, ProviderCodec codec, ChatCall call, ChunkSink sink) {
    this.vertx = vertx;
    this.options = options;
    this.codec = codec;
    this.call = call;
    this.sink = sink;
  }

  Future<T> run(HttpClientAgent client, RequestOptions requestOptions, Buffer body, long budgetMillis) {
    long started = System.nanoTime();
    totalTimer = vertx.setTimer(budgetMillis,
        id -> fail(ProviderFailure.of(ErrorClass.TIMEOUT, "attempt exceeded its " + budgetMillis + " ms budget")));
    call.cancelled().onComplete(v -> fail(ProviderFailure.of(ErrorClass.CLIENT_CANCELLED, "caller cancelled the request")));
    client.request(requestOptions).onComplete(ar -> {
      if (ar.failed()) {
        fail(HttpChatProvider.transportFailure(ar.cause(), "connect"));
        return;
      }
      request = ar.result();
      if (done) {
        request.reset();
        return;
      }
      long leftMs = budgetMillis - (System.nanoTime() - started) / 1_000_000;
      long firstByteMs = options.firstByteTimeoutMs();
      if (firstByteMs < leftMs) {
        // Otherwise the budget timer fires first, and its message names the limit that really applied.
        firstByteTimer = vertx.setTimer(firstByteMs, id -> fail(ProviderFailure.of(ErrorClass.TIMEOUT,
            "no response within the " + firstByteMs + " ms first-byte timeout")));
      }
      request.send(body).onComplete(sent -> {
        if (sent.failed()) {
          fail(HttpChatProvider.transportFailure(sent.cause(), "request"));
        } else if (!done) {
          onResponse(sent.result());
        }
      });
    });
    return promise.future();
  }

  private void onResponse(HttpClientResponse resp) {
    providerRequestId = resp.getHeader(codec.requestIdHeader());
    int status = resp.statusCode();
    resp.exceptionHandler(t -> fail(HttpChatProvider.transportFailure(t, "response")));
    if (status < 200 || status >= 300) {
      cancelTimer(firstByteTimer);
      resp.body().onComplete(ar -> {
        // A fully read error answer leaves a reusable keep-alive connection: no reset needed.
        responseRead = ar.succeeded();
        fail(codec.decodeError(status, resp.headers(), ar.succeeded() ? ar.result() : Buffer.buffer()));
      });
      return;
    }
    String contentType = resp.getHeader("content-type");
    if (sink == null) {
      cancelTimer(firstByteTimer);
      if (!isMediaType(contentType, "application/json")) {
        fail(wrongContentType(contentType));
        return;
      }
      resp.body().onComplete(ar -> {
        if (ar.failed()) {
          fail(HttpChatProvider.transportFailure(ar.cause(), "response body"));
          return;
        }
        try {
          @SuppressWarnings("unchecked")
          T completion = (T) codec.decodeCompletion(ar.result()).withProviderRequestId(providerRequestId);
          succeed(completion);
        } catch (ProviderFailure failure) {
          fail(failure);
        }
      });
    } else if (!isMediaType(contentType, "text/event-stream")) {
      cancelTimer(firstByteTimer);
      fail(wrongContentType(contentType));
    } else {
      relayStream(resp);
    }
  }

  private void relayStream(HttpClientResponse resp) {
    StreamTranslator translator = codec.newStreamTranslator(call);
    SseParser parser = SseParser.ofBytes((event, data) -> {
      if (done) {
        return;
      }
      boolean terminal = translator.onEvent(event, data, chunk -> {
        chunks++;
        sink.onChunk(chunk);
      });
      if (terminal) {
        @SuppressWarnings("unchecked")
        T summary = (T) new StreamSummary(translator.usage(), chunks, translator.providerModel(), providerRequestId);
        succeed(summary);
      }
    });
    sink.drainHandler(v -> {
      if (!done) {
        resp.resume();
      }
    });
    resp.handler(buffer -> {
      if (done) {
        return;
      }
      lastDataNanos = System.nanoTime();
      if (!dataSeen) {
        dataSeen = true;
        cancelTimer(firstByteTimer);
        // The stream flows: from now on its own budgets apply, not the time-to-first-byte budget.
        cancelTimer(totalTimer);
        long maxStreamMs = options.maxStreamMs();
        totalTimer = vertx.setTimer(maxStreamMs, id -> fail(ProviderFailure.of(ErrorClass.TIMEOUT,
            "provider stream ran longer than the " + maxStreamMs + " ms maximum stream duration")));
        armIdleTimer(options.streamIdleTimeoutMs());
      }
      try {
        parser.feed(buffer);
      } catch (ProviderFailure failure) {
        fail(failure);
        return;
      } catch (IllegalStateException tooLong) {
        fail(ProviderFailure.ours(ErrorClass.MALFORMED_RESPONSE, "provider stream line exceeds the size limit",
            200, FailureCode.MALFORMED_RESPONSE));
        return;
      }
      if (!done && sink.writeQueueFull()) {
        resp.pause();
      }
    });
    resp.endHandler(v -> fail(ProviderFailure.ours(ErrorClass.MALFORMED_RESPONSE, 
        "provider stream ended without its terminal event", 200, FailureCode.STREAM_INTERRUPTED)));
  }

  /** A timer that fires once the stream has been silent for the idle timeout, re-arming while data flows. */
  private void armIdleTimer(long delayMs) {
    idleTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
      if (done) {
        return;
      }
      long silentMs = (System.nanoTime() - lastDataNanos) / 1_000_000;
      long left = options.streamIdleTimeoutMs() - silentMs;
      if (left > 0) {
        armIdleTimer(left);
      } else {
        fail(ProviderFailure.of(ErrorClass.TIMEOUT,
            "provider stream idle for more than " + options.streamIdleTimeoutMs() + " ms"));
      }
    });
  }

  private void succeed(T value) {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    promise.tryComplete(value);
  }

  private void fail(ProviderFailure failure) {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    if (request != null && !responseRead) {
      // Resets the stream and closes the HTTP/1.1 connection: the provider sees the client leave.
      request.reset();
    }
    promise.tryFail(failure.withProviderRequestId(providerRequestId));
  }

  private void cancelTimers() {
    cancelTimer(totalTimer);
    cancelTimer(firstByteTimer);
    cancelTimer(idleTimer);
  }

  private void cancelTimer(long id) {
    if (id != -1) {
      vertx.cancelTimer(id);
    }
  }

  private static boolean isMediaType(String contentType, String expected) {
    return contentType != null && contentType.regionMatches(true, 0, expected, 0, expected.length());
  }

  private static ProviderFailure wrongContentType(String contentType) {
    String shown = contentType == null ? "none" : contentType.length() > 60 ? contentType.substring(0, 60) : contentType;
    return ProviderFailure.ours(ErrorClass.MALFORMED_RESPONSE, "provider answered 2xx with content type "
        + shown, 200, FailureCode.MALFORMED_RESPONSE);
  }
}
