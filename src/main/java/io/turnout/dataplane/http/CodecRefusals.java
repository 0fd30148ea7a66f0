package io.turnout.dataplane.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.chat.RequestIds;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.observability.RequestObserver;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers requests the HTTP codec could not read (Vert.x's invalid-request handler): headers
 * over {@code max_header_size} get 431, a request line over {@code max_initial_line_length} 414,
 * anything else the codec refused (a bad request line, a bad {@code Content-Length}, an unknown
 * HTTP version) 400 — each in OpenAI's error shape, with one request log line and a count like
 * any other refused request, and the connection closed after the answer (its framing is lost).
 */
final class CodecRefusals implements Handler<HttpServerRequest> {

  private final RequestObserver observer;

  CodecRefusals(RequestObserver observer) {
    this.observer = observer;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiError error;
    if (cause instanceof TooLongHttpHeaderException) {
      error = ApiError.client(431, "invalid_request_error", "The request's headers are too large.",
          "request_header_fields_too_large");
    } else if (cause instanceof TooLongHttpLineException) {
      error = ApiError.client(414, "invalid_request_error", "The request line (method and URL) is too long.",
          "uri_too_long");
    } else {
      error = ApiError.client(400, "invalid_request_error",
          "The HTTP request could not be read (request line, headers or Content-Length).", "invalid_http_request");
    }
    // Headers past the limit were never read: no client request id can be trusted from them.
    RequestTrace trace = new RequestTrace(RequestIds.next());
    HttpServerResponse response = request.response();
    observer.completed(trace, error.status());
    response.putHeader("connection", "close");
    ErrorResponses.send(response, error, trace);
    request.connection().close();
  }
}
