package io.turnout.dataplane.provider;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * A provider reached over HTTP: one pooled, keep-alive core {@code HttpClient} per event loop,
 * a {@link ProviderCodec} for the wire format, and the timeouts that keep an attempt bounded.
 * Everything that differs between contracts is in the codec; everything about moving bytes and
 * giving up in time is here, once. The client is built on first use and can be released when no
 * route version in force uses the provider; the next attempt builds a new one. Confined to its
 * event loop.
 */
public final class HttpChatProvider implements ChatProvider {

  private final Vertx vertx;
  private final ProviderOptions options;
  private final ProviderCodec codec;
  private final int maxConnections;
  private final MultiMap baseHeaders;
  private final ProviderKeys keys;
  /** The pool, or null until first use and after a release. */
  private HttpClientAgent client;
  /** The last call encoded and its bytes: a retry of the same request to the same model sends them again. */
  private ChatCall lastCall;
  private Buffer lastBody;

  /**
   * @param maxConnections this instance's share of the provider's connection pool
   */
  public HttpChatProvider(Vertx vertx, ProviderOptions options, ProviderCodec codec, int maxConnections) {
    this(vertx, options, codec, maxConnections, ProviderKeys.NONE);
  }

  /** @param keys the node's live credentials: each attempt sends the key in force when it starts */
  public HttpChatProvider(Vertx vertx, ProviderOptions options, ProviderCodec codec, int maxConnections,
      ProviderKeys keys) {
    this.vertx = vertx;
    this.options = options;
    this.codec = codec;
    this.maxConnections = maxConnections;
    this.keys = keys;
    MultiMap headers = HttpHeaders.headers()
        .set(HttpHeaders.CONTENT_TYPE, "application/json");
    options.headers().forEach(headers::set);
    this.baseHeaders = headers;
  }

  @Override
  public String name() {
    return options.name();
  }

  /** The options this provider was built from. */
  public ProviderOptions options() {
    return options;
  }

  @Override
  public Future<Completion> complete(ChatCall call) {
    return start(call, null);
  }

  @Override
  public Future<StreamSummary> stream(ChatCall call, ChunkSink sink) {
    return start(call, sink);
  }

  @Override
  public Future<Void> close() {
    HttpClientAgent pool = client;
    client = null;
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /**
   * Takes the pool out of service: idle connections close now, connections with an attempt in
   * flight once it ends (at the latest after the provider's total timeout).
   */
  @Override
  public void releaseConnections() {
    HttpClientAgent pool = client;
    if (pool != null) {
      client = null;
      pool.shutdown(options.totalTimeoutMs(), TimeUnit.MILLISECONDS);
    }
  }

  private HttpClientAgent client() {
    if (client == null) {
      client = vertx.httpClientBuilder()
          .with(new HttpClientOptions()
              .setKeepAlive(true)
              .setKeepAliveTimeout(options.keepAliveSeconds())
              .setTcpNoDelay(true)
              .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
              .setSsl(options.ssl())
              .setVerifyHost(true))
          .with(new PoolOptions().setHttp1MaxSize(maxConnections))
          .build();
    }
    return client;
  }

  private <T> Future<T> start(ChatCall call, ChunkSink sink) {
    Buffer body;
    try {
      body = encoded(call);
    } catch (ProviderFailure failure) {
      return Future.failedFuture(failure);
    }
    long budget = Math.min(call.budgetMillis(), options.totalTimeoutMs());
    if (budget <= 0) {
      return Future.failedFuture(ProviderFailure.of(ErrorClass.TIMEOUT, "no time left in the request deadline"));
    }
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(options.baseUrl().getHost())
        .setPort(options.port())
        .setSsl(options.ssl())
        .setURI(options.requestUri())
        .setConnectTimeout(Math.min(options.connectTimeoutMs(), budget))
        .setHeaders(io.turnout.dataplane.provider.UpstreamTraceHeaders.inject(HttpHeaders.headers().addAll(baseHeaders)
            .set(options.authHeader(), keys.authValue(options))
            .set(HttpHeaders.ACCEPT, sink == null ? "application/json" : "text/event-stream")
            .set("x-request-id", call.requestId())));
    UpstreamExchange<T> exchange = new UpstreamExchange<>(vertx, options, codec, call, sink);
    return exchange.run(client(), request, body, budget);
  }

  /**
   * The upstream body of {@code call}: encoded once per (request, model, stream flags), since a
   * retry to the same model sends identical bytes. Only the last call is kept (the provider is
   * confined to its event loop), so at most one body per provider and event loop stays referenced.
   */
  private Buffer encoded(ChatCall call) {
    ChatCall last = lastCall;
    if (last != null && last.request() == call.request() && last.providerModelId().equals(call.providerModelId())
        && last.stream() == call.stream() && last.includeUsage() == call.includeUsage()) {
      return lastBody;
    }
    Buffer body = codec.encodeRequest(call);
    lastCall = call;
    lastBody = body;
    return body;
  }

  /** Maps a transport-level exception to a failure class; never leaks more than the exception's kind. */
  static ProviderFailure transportFailure(Throwable cause, String phase) {
    if (cause instanceof ProviderFailure failure) {
      return failure;
    }
    if (cause instanceof ConnectTimeoutException || cause instanceof java.util.concurrent.TimeoutException
        || cause.getClass().getSimpleName().contains("Timeout")) {
      return ProviderFailure.of(ErrorClass.TIMEOUT, phase + " timed out");
    }
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return ProviderFailure.of(ErrorClass.NETWORK, phase + " failed: " + detail);
  }
}
