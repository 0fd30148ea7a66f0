package io.turnout.dataplane.observability;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * What the HTTP front door knows of a request besides its trace: who sent it (the peer address,
 * never a header a client can forge), the method and path (without the query), and the bytes read
 * and written.
 */
public record HttpFacts(String clientAddress, String method, String path, long bytesIn, long bytesOut) {

  /** Facts of a request that did not come over HTTP (the event bus). */
  public static final HttpFacts NONE = new HttpFacts(null, null, null, -1, -1);

  private static final int MAX_PATH = 200;

  /** Reads them from a request whose response has ended (or whose client left). */
  public static HttpFacts of(HttpServerRequest request, HttpServerResponse response) {
    String path = request.path();
    if (path != null && path.length() > MAX_PATH) {
      path = path.substring(0, MAX_PATH) + "...";
    }
    return new HttpFacts(request.remoteAddress() == null ? null : request.remoteAddress().toString(),
        request.method().name(), path, request.bytesRead(), response.bytesWritten());
  }
}
