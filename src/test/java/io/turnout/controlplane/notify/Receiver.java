package io.turnout.controlplane.notify;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback port 0: a real HTTP server that records every request and can
 * be told to answer the next ones with an error status, or to hang (never answer).
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Request(String path, String query, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String event() {
      return headers.get(Payloads.EVENT_HEADER);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger failStatus = new AtomicInteger(500);
  private final AtomicBoolean hang = new AtomicBoolean();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

  private Receiver(HttpServer server) {
    this.server = server;
  }

  static Receiver start(Vertx vertx) {
    Receiver[] self = new Receiver[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      self[0].requests.add(new Request(req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          body));
      self[0].answer(req);
    }));
    self[0] = new Receiver(server);
    server.listen(0, "127.0.0.1").await();
    return self[0];
  }

  private void answer(HttpServerRequest req) {
    if (hang.get()) {
      held.add(req);
      return;
    }
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      req.response().setStatusCode(failStatus.get()).end("{\"error\":\"told to fail\"}");
      return;
    }
    req.response().setStatusCode(200).end("ok");
  }

  /** The next {@code n} requests get {@code status}. */
  Receiver failNext(int status, int n) {
    failStatus.set(status);
    failures.set(n);
    return this;
  }

  /** From now on requests are held without an answer (until {@link #hang}(false)). */
  Receiver hang(boolean on) {
    hang.set(on);
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  List<Request> requests(String event) {
    return requests.stream().filter(r -> event.equals(r.event())).toList();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
