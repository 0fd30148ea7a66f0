package io.turnout.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Sends one fixed request to one target from {@code concurrency} keep-alive connections, each
 * strictly sequential: on each connection the next request leaves only once the previous answer
 * has been read to its end (1 connection: one request at a time).
 *
 * <p>A whole batch runs on one event loop, each request started from a previous one's
 * completion, so no thread hand-off sits inside a measured interval; the caller's thread only
 * waits for the batch.
 */
final class SequentialClient {

  /** One whole answer, for the sanity check before the load. */
  record Answer(int status, MultiMap headers, Buffer body) {}

  /** An expected status meaning: 200, or 503 (counted in {@link #busy}). */
  static final int BUSY_ALLOWED = 0;

  /** How long a single request may stay silent before the batch fails instead of hanging. */
  private static final long IDLE_TIMEOUT_MS = 10_000;

  private final Context context;
  private final HttpClientAgent client;
  private final RequestOptions request;
  private final Buffer body;
  private final int concurrency;
  private final int expectedStatus;
  /** With {@link #BUSY_ALLOWED}: the answers that were a 503 (the node's body budget refused them). */
  int busy;

  /**
   * @param context the event loop every request of this client is started from
   * @param headers request headers (content type, and the key when the target needs one)
   */
  SequentialClient(Vertx vertx, Context context, int port, String uri, MultiMap headers, Buffer body) {
    this(vertx, context, port, uri, headers, body, 1, 200);
  }

  /**
   * @param concurrency connections, each with one request in flight at a time
   * @param expectedStatus the status every answer must have (200, or e.g. 500 to time a failing provider)
   */
  SequentialClient(Vertx vertx, Context context, int port, String uri, MultiMap headers, Buffer body,
      int concurrency, int expectedStatus) {
    this.context = context;
    this.concurrency = concurrency;
    this.expectedStatus = expectedStatus;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDefaultHost("127.0.0.1"))
        .with(new PoolOptions().setHttp1MaxSize(concurrency))
        .build();
    this.request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri)
        .setHeaders(headers).setIdleTimeout(IDLE_TIMEOUT_MS);
    this.body = body;
  }

  /** One request, read whole: checks that the target answers as expected before it is measured. */
  Future<Answer> once() {
    Promise<Answer> answer = Promise.promise();
    context.runOnContext(v -> client.request(request)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b)))
        .onComplete(answer));
    return answer.future();
  }

  /**
   * {@code n} non-streaming requests, each timed from before the request is opened until its
   * body has been read; stops early (and completes normally) when {@code deadlineNanos} passes.
   * A non-200 answer or a transport error fails the batch.
   *
   * @return the number of requests completed
   */
  Future<Integer> completions(int n, LatencyRecorder latency, long deadlineNanos) {
    Promise<Integer> done = Promise.promise();
    Chains chains = new Chains(n, deadlineNanos, done);
    context.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, n); i++) {
        chains.live++;
        nextCompletion(chains, latency);
      }
    });
    return done.future();
  }

  /** The shared count of a batch's connections, all on the client's one event loop. */
  private static final class Chains {
    final int n;
    final long deadlineNanos;
    final Promise<Integer> done;
    int started;
    int finished;
    int live;

    Chains(int n, long deadlineNanos, Promise<Integer> done) {
      this.n = n;
      this.deadlineNanos = deadlineNanos;
      this.done = done;
    }

    /** True when this chain should stop: all started, or past the deadline; the last one completes the batch. */
    boolean stop() {
      if (started < n && System.nanoTime() - deadlineNanos <= 0) {
        started++;
        return false;
      }
      if (--live == 0) {
        done.tryComplete(finished);
      }
      return true;
    }
  }

  private void nextCompletion(Chains chains, LatencyRecorder latency) {
    if (chains.stop()) {
      return;
    }
    long start = System.nanoTime();
    client.request(request)
        .compose(req -> req.send(body))
        .compose(this::expectedBody)
        .onComplete(ar -> {
          long end = System.nanoTime();
          if (ar.failed()) {
            chains.done.tryFail(ar.cause());
            return;
          }
          chains.finished++;
          if (latency != null) {
            latency.record(end - start);
          }
          nextCompletion(chains, latency);
        });
  }

  /**
   * {@code n} streaming requests: time to the first body bytes (the first event: both the
   * simulator and the node send their head with it) and to the end of the stream.
   *
   * @return the number of streams completed
   */
  Future<Integer> streams(int n, LatencyRecorder firstChunk, LatencyRecorder whole, long deadlineNanos) {
    Promise<Integer> done = Promise.promise();
    Chains chains = new Chains(n, deadlineNanos, done);
    context.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, n); i++) {
        chains.live++;
        nextStream(chains, firstChunk, whole);
      }
    });
    return done.future();
  }

  private void nextStream(Chains chains, LatencyRecorder firstChunk, LatencyRecorder whole) {
    if (chains.stop()) {
      return;
    }
    long start = System.nanoTime();
    client.request(request).compose(req -> req.send(body)).onComplete(ar -> {
      if (ar.failed()) {
        chains.done.tryFail(ar.cause());
        return;
      }
      HttpClientResponse resp = ar.result();
      if (resp.statusCode() != 200) {
        okBody(resp).onFailure(chains.done::tryFail);
        return;
      }
      long[] first = {0};
      resp.exceptionHandler(chains.done::tryFail);
      resp.handler(buffer -> {
        if (first[0] == 0 && buffer.length() > 0) {
          first[0] = System.nanoTime();
        }
      });
      resp.endHandler(end -> {
        long ended = System.nanoTime();
        chains.finished++;
        if (firstChunk != null) {
          firstChunk.record((first[0] == 0 ? ended : first[0]) - start);
          whole.record(ended - start);
        }
        nextStream(chains, firstChunk, whole);
      });
    });
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<Buffer> expectedBody(HttpClientResponse resp) {
    if (resp.statusCode() == expectedStatus) {
      return resp.body();
    }
    if (expectedStatus == BUSY_ALLOWED && resp.statusCode() == 503) {
      busy++;
      return resp.body();
    }
    return okBody(resp);
  }

  private static Future<Buffer> okBody(HttpClientResponse resp) {
    if (resp.statusCode() == 200) {
      return resp.body();
    }
    return resp.body().transform(ar -> Future.failedFuture(new IllegalStateException("HTTP " + resp.statusCode()
        + " from " + resp.request().getURI() + ": " + (ar.succeeded() ? ar.result() : ar.cause()))));
  }
}
