package io.turnout.dataplane.http;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.observability.RequestTrace;
import io.vertx.core.http.HttpServerResponse;

/** Writes an {@link ApiError} as an HTTP response: OpenAI's body plus the node's headers. */
final class ErrorResponses {

  private ErrorResponses() {}

  static void send(HttpServerResponse response, ApiError error, RequestTrace trace) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Headers are gone already (a stream was open): the stream writer handles this case.
      response.end();
      return;
    }
    Headers.write(response, trace);
    response.setStatusCode(error.status()).putHeader("content-type", "application/json");
    if (error.errorClass() != null) {
      response.putHeader(Headers.ERROR_CLASS, error.errorClass().wireName());
    }
    if (error.provider() != null) {
      response.putHeader(Headers.PROVIDER, error.provider());
    }
    if (error.retryAfterMillis() >= 0) {
      response.putHeader("retry-after", Long.toString((error.retryAfterMillis() + 999) / 1000));
      response.putHeader("retry-after-ms", Long.toString(error.retryAfterMillis()));
    }
    if (!error.retryUseful()) {
      // The official SDKs honour this before their own status rules: no pointless client retries.
      response.putHeader("x-should-retry", "false");
    }
    response.end(error.toJson().toBuffer());
  }
}
