package io.turnout.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A blocking loopback HTTP client for tests: call from the test thread. */
public final class TestHttp {

  /** A whole answer. */
  public record Response(int status, MultiMap headers, Buffer body) {
    public String text() {
      return body.toString();
    }

    public JsonObject json() {
      return body.toJsonObject();
    }

    public String header(String name) {
      return headers.get(name);
    }

    /** The body parsed as Server-Sent Events: one entry per event, {@code [event name or null, data]}. */
    public List<String[]> events() {
      List<String[]> events = new ArrayList<>();
      for (String block : text().split("\n\n")) {
        if (block.isBlank()) {
          continue;
        }
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
          }
        }
        events.add(new String[] {event, data.toString()});
      }
      return events;
    }
  }

  private final HttpClientAgent client;
  private final String host;
  private final int port;

  public TestHttp(Vertx vertx, int port) {
    this(vertx, "127.0.0.1", port);
  }

  /** A client of a listener on another loopback address (e.g. 127.0.1.2, a member of a multi-address test). */
  public TestHttp(Vertx vertx, String host, int port) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port));
    this.host = host;
    this.port = port;
  }

  public Response send(HttpMethod method, String uri, Buffer body) {
    return send(method, uri, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Response send(HttpMethod method, String uri, Buffer body, MultiMap headers) {
    return client.request(new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
            .setHeaders(headers))
        .compose(request -> (body == null ? request.send() : request.send(body))
            .compose(response -> response.body().map(b -> new Response(response.statusCode(), response.headers(), b))))
        .await();
  }

  /** POST a chat request to the node. */
  public Response chat(JsonObject request) {
    return chat(request, MultiMap.caseInsensitiveMultiMap());
  }

  public Response chat(JsonObject request, MultiMap headers) {
    return send(HttpMethod.POST, "/v1/chat/completions", request.toBuffer(),
        headers.add("content-type", "application/json"));
  }

  public HttpClientAgent raw() {
    return client;
  }

  public Future<Void> close() {
    return client.close();
  }
}
