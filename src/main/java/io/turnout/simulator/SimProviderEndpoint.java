package io.turnout.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The provider side of the simulator: reads a request, checks path, method, key and body like
 * the real provider, logs it (credentials redacted), picks the script's fault and hands over to
 * {@link SimResponder}.
 */
final class SimProviderEndpoint {

  /** Request headers whose values never reach the request log. */
  static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-api-key", "api-key", "proxy-authorization");
  static final String REDACTED = "<redacted>";

  private final Vertx vertx;
  private final LongSupplier clockMillis;

  SimProviderEndpoint(Vertx vertx, LongSupplier clockMillis) {
    this.vertx = vertx;
    this.clockMillis = clockMillis;
  }

  /** Handles a request under {@code /<provider>}; {@code subPath} is the rest of the path. */
  void handle(HttpServerRequest request, SimProviderState state, String subPath) {
    long seq = state.nextSeq();
    SimExchange exchange = new SimExchange(vertx, request, state);
    // a failed body read means the client left mid-request: the exchange's close handler counts it
    request.body().onSuccess(body -> answer(request, state, exchange, seq, subPath, body));
  }

  private void answer(HttpServerRequest request, SimProviderState state, SimExchange exchange, long seq,
      String subPath, Buffer rawBody) {
    if (exchange.done()) {
      return;
    }
    SimContract contract = state.contract();
    String requestId = contract.requestId(state.name(), seq);
    exchange.header(contract.requestIdHeader(), requestId);
    JsonObject body = parse(rawBody);
    String presentedKey = contract.presentedKey(request.headers());
    boolean authOk = state.keyMatches(presentedKey);

    SimRejection rejection = reject(request, contract, subPath, authOk, presentedKey != null, body);
    Fault fault = rejection == null ? state.nextFault() : null;
    String outcome = rejection != null ? rejection.outcome() : fault == null ? "ok" : fault.outcome();
    state.record(logEntry(seq, request, contract, body, authOk, outcome));

    if (rejection != null) {
      Buffer error = contract.errorBody(rejection.status(), rejection.type(), rejection.message(), rejection.param(),
          rejection.code(), requestId).toBuffer();
      exchange.after(state.nextLatencyMillis(), () -> exchange.send(rejection.status(), SimResponder.JSON, error));
      return;
    }
    SimAnswer answer = contract.answer(state.name(), seq, body, clockMillis.getAsLong() / 1000);
    new SimResponder(exchange, state, answer, body, requestId).respond(fault);
  }

  private static SimRejection reject(HttpServerRequest request, SimContract contract, String subPath, boolean authOk,
      boolean keyPresent, JsonObject body) {
    if (!subPath.equals(contract.completionPath())) {
      return new SimRejection(404, null, "Invalid URL (" + request.method() + " " + request.path() + ")", null, null,
          "not_found");
    }
    if (request.method() != HttpMethod.POST) {
      return new SimRejection(405, "invalid_request_error", "Method " + request.method() + " not allowed; use POST",
          null, null, "method_not_allowed");
    }
    if (!authOk) {
      return contract.authFailure(keyPresent);
    }
    return contract.validate(request.headers(), body);
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body.length() == 0 ? null : new JsonObject(body);
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  private JsonObject logEntry(long seq, HttpServerRequest request, SimContract contract, JsonObject body,
      boolean authOk, String outcome) {
    JsonObject headers = new JsonObject();
    for (Map.Entry<String, String> h : request.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      String value = SECRET_HEADERS.contains(name) ? REDACTED : h.getValue();
      String previous = headers.getString(name);
      headers.put(name, previous == null || SECRET_HEADERS.contains(name) ? value : previous + ", " + value);
    }
    Object model = body == null ? null : body.getValue("model");
    return new JsonObject()
        .put("seq", seq)
        .put("time_ms", clockMillis.getAsLong())
        .put("method", request.method().name())
        .put("path", request.path())
        .put("stream", contract.stream(body))
        .put("model", model instanceof String ? model : null)
        .put("body", body)
        .put("headers", headers)
        .put("auth_ok", authOk)
        .put("outcome", outcome);
  }
}
