package io.turnout.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The benchmark's floor: the least a reverse proxy on vertx-core alone can cost. One event loop,
 * a pooled keep-alive client, no parsing, no routing, no metrics, no log: the request body is
 * piped upstream (with the provider key added, as the node adds it) and the answer is piped back.
 * Whatever the node costs beyond this is its own work. Run as a child JVM by {@link ProxyBenchmark}:
 *
 * <pre>
 * java -cp target/turnout.jar:target/test-classes io.turnout.bench.FloorProxy PORT UPSTREAM_PORT PREFIX KEY
 * </pre>
 */
public final class FloorProxy {

  private FloorProxy() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    String prefix = args[2];
    String authorization = "Bearer " + args[3];
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
        .with(new PoolOptions().setHttp1MaxSize(64))
        .build();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
        .requestHandler(req -> {
          req.pause();
          RequestOptions upstream = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
              .setPort(upstreamPort).setURI(prefix + req.uri());
          upstream.putHeader(HttpHeaders.AUTHORIZATION, authorization);
          String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
          if (type != null) {
            upstream.putHeader(HttpHeaders.CONTENT_TYPE, type);
          }
          client.request(upstream)
              .compose(out -> out.send(req))
              .onSuccess(answer -> {
                req.response().setStatusCode(answer.statusCode());
                String answerType = answer.getHeader(HttpHeaders.CONTENT_TYPE);
                if (answerType != null) {
                  req.response().putHeader(HttpHeaders.CONTENT_TYPE, answerType);
                }
                String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
                if (length != null) {
                  req.response().putHeader(HttpHeaders.CONTENT_LENGTH, length);
                }
                req.response().send(answer);
              })
              .onFailure(e -> req.response().setStatusCode(502).end());
        })
        .listen()
        .onSuccess(s -> System.out.println("floor proxy listening on 127.0.0.1:" + s.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
