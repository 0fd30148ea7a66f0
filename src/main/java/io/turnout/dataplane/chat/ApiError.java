package io.turnout.dataplane.chat;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.routing.RouteRejection;
import io.vertx.core.json.JsonObject;

/**
 * An error as the client sees it, in OpenAI's shape, with the status that fits it. The one place
 * where a failure class becomes a status code, for HTTP and event-bus callers alike.
 *
 * @param errorClass the upstream failure class, or null for an error in the client's own request
 * @param provider the provider that failed, or null
 * @param retryAfterMillis a retry hint for the client, or -1
 */
public record ApiError(int status, String type, String message, String param, String code, ErrorClass errorClass,
    String provider, long retryAfterMillis) {

  /** 400 for a request the node refuses before anything goes upstream. */
  public static ApiError invalidRequest(String message, String param, String code) {
    return new ApiError(400, "invalid_request_error", message, param, code, null, null, -1);
  }

  /** 404 for an unknown model alias, as OpenAI answers it. */
  public static ApiError modelNotFound(String alias) {
    return new ApiError(404, "invalid_request_error",
        "The model '" + truncate(alias) + "' does not exist or you do not have access to it.", "model",
        "model_not_found", null, null, -1);
  }

  /** A client-side error with any status (401, 404, 405, 413, 415, ...). */
  public static ApiError client(int status, String type, String message, String code) {
    return new ApiError(status, type, message, null, code, null, null, -1);
  }

  /** Maps a route resolution that refused the request (unknown alias, no route, disabled, feature). */
  public static ApiError fromRejection(RouteRejection rejection) {
    String type = rejection.status() >= 500 ? "api_error" : "invalid_request_error";
    return new ApiError(rejection.status(), type, rejection.message(), rejection.param(), rejection.kind().code(),
        null, null, -1);
  }

  /**
   * Maps a classified upstream failure: the class's {@link ErrorClass#clientStatus()} and
   * {@link ErrorClass#clientCode()}, except where the failure's own code says more (an open
   * breaker, a drain, a failed acceptance check, the provider's validation code and status).
   */
  public static ApiError fromFailure(ProviderFailure failure, String provider) {
    ErrorClass c = failure.errorClass();
    return switch (c) {
      // The provider's own text for a rejected key can quote part of that key: never relay it.
      case AUTH -> upstream(c.clientStatus(), "api_error", "the provider rejected the node's credentials", null,
          c.clientCode(), c, provider, -1);
      case VALIDATION -> upstream(validationStatus(failure.upstreamStatus()), "invalid_request_error",
          failure.getMessage(), failure.param(), failure.code(), c, provider, -1);
      case CONTENT_POLICY -> upstream(c.clientStatus(), "invalid_request_error", failure.getMessage(), failure.param(),
          c.clientCode(), c, provider, -1);
      case RATE_LIMITED -> upstream(c.clientStatus(), "rate_limit_error", failure.getMessage(), null, c.clientCode(), c,
          provider, failure.retryAfterMillis());
      case UPSTREAM_5XX -> failure.is(FailureCode.CIRCUIT_OPEN)
          ? upstream(503, "api_error", failure.getMessage(), null, FailureCode.CIRCUIT_OPEN.wireName(), c, provider, -1)
          : upstream(c.clientStatus(), "api_error", failure.getMessage(), null, c.clientCode(), c, provider, -1);
      case TIMEOUT, NETWORK -> upstream(c.clientStatus(), "api_error", failure.getMessage(), null, c.clientCode(), c,
          provider, -1);
      case MALFORMED_RESPONSE -> upstream(c.clientStatus(), "api_error", failure.getMessage(), null,
          failure.is(FailureCode.ACCEPTANCE_FAILED) ? FailureCode.ACCEPTANCE_FAILED.wireName() : c.clientCode(), c,
          provider, -1);
      // The node cancelled the attempt itself because its route version was drained: the caller may retry at once.
      case CLIENT_CANCELLED -> failure.is(FailureCode.ROUTE_DRAINED)
          ? upstream(503, "api_error", failure.getMessage(), null, FailureCode.ROUTE_DRAINED.wireName(), c, provider,
              -1)
          : upstream(c.clientStatus(), "api_error", failure.getMessage(), null, c.clientCode(), c, provider, -1);
    };
  }

  /** Whether an SDK in front of the node should retry by itself; false where a retry cannot help. */
  public boolean retryUseful() {
    // Errors the node decided itself (bad input, no key, a disabled or missing route) answer the
    // same on an immediate retry; so do the upstream classes a retry cannot fix.
    return errorClass != null && errorClass.clientRetryUseful();
  }

  /** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message)
        .put("type", type)
        .put("param", param)
        .put("code", code));
  }

  /** The body as an event-bus failure carries it: the OpenAI body plus the class and provider. */
  public JsonObject toBusJson() {
    return toJson()
        .put("error_class", errorClass == null ? "client_error" : errorClass.wireName())
        .put("provider", provider)
        .put("status", status);
  }

  /** This error as an exception, to fail a {@code Future}. */
  public ApiException exception() {
    return new ApiException(this);
  }

  private static ApiError upstream(int status, String type, String message, String param, String code,
      ErrorClass errorClass, String provider, long retryAfterMillis) {
    return new ApiError(status, type, message, param, code, errorClass, provider, retryAfterMillis);
  }

  private static int validationStatus(int upstream) {
    return upstream == 404 || upstream == 413 || upstream == 422 ? upstream : 400;
  }

  private static String truncate(String value) {
    return value.length() <= 100 ? value : value.substring(0, 100) + "...";
  }
}
