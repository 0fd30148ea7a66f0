package io.turnout.dataplane.provider.anthropic;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.RetryAfter;
import io.vertx.core.MultiMap;
import java.util.function.LongSupplier;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Classifies Anthropic error answers: non-2xx responses and {@code error} events inside a stream.
 * Everything here is total: a broken error body still yields a classified failure, since the
 * caller is already on its failure path and must not be thrown a second, unrelated exception.
 */
final class AnthropicErrors {

  /** Provider messages are kept (they help the operator) but bounded, since they reach logs and clients. */
  static final int MAX_MESSAGE_CHARS = 500;

  static final String REQUEST_ID_HEADER = "request-id";

  private static final String ELLIPSIS = "...";

  private AnthropicErrors() {}

  /** A non-2xx answer as a failure; never throws. */
  static ProviderFailure fromResponse(int status, MultiMap headers, Buffer body, LongSupplier nowMillis) {
    JsonObject envelope = parseQuietly(body);
    JsonObject error = envelope == null ? null : objectOrNull(envelope.getValue("error"));
    String type = error == null ? null : stringOrNull(error.getValue("type"));
    String message = error == null ? null : stringOrNull(error.getValue("message"));
    String requestId = envelope == null ? null : stringOrNull(envelope.getValue("request_id"));
    if (requestId == null) {
      requestId = header(headers, REQUEST_ID_HEADER);
    }
    String text = message == null || message.isBlank()
        // Never echo a body we could not parse: it may be an HTML page from a proxy in between.
        ? "Anthropic answered HTTP " + status + (type == null ? "" : " (" + type + ")")
        : truncate(message);
    return new ProviderFailure(classifyStatus(status), text, status, RetryAfter.millis(headers, nowMillis), requestId, null, type);
  }

  /** An {@code error} event that arrived inside a 200 stream. */
  static ProviderFailure fromStreamEvent(JsonObject data) {
    JsonObject error = objectOrNull(data.getValue("error"));
    String type = error == null ? null : stringOrNull(error.getValue("type"));
    String message = error == null ? null : stringOrNull(error.getValue("message"));
    String text = message == null || message.isBlank()
        ? "Anthropic sent an error event" + (type == null ? "" : " (" + type + ")")
        : truncate(message);
    String requestId = stringOrNull(data.getValue("request_id"));
    return new ProviderFailure(classifyType(type), text, 200, -1, requestId, null, type);
  }

  static ErrorClass classifyStatus(int status) {
    return switch (status) {
      case 400, 404, 413, 422 -> ErrorClass.VALIDATION;
      // 402 billing_error: like a bad key, it does not heal by retrying.
      case 401, 402, 403 -> ErrorClass.AUTH;
      case 429 -> ErrorClass.RATE_LIMITED;
      default -> status >= 500 ? ErrorClass.UPSTREAM_5XX : ErrorClass.VALIDATION;
    };
  }

  /** For errors that carry no HTTP status of their own (stream events). */
  static ErrorClass classifyType(String type) {
    if (type == null) {
      return ErrorClass.UPSTREAM_5XX;
    }
    return switch (type) {
      case "rate_limit_error" -> ErrorClass.RATE_LIMITED;
      case "invalid_request_error", "not_found_error", "request_too_large" -> ErrorClass.VALIDATION;
      case "authentication_error", "permission_error", "billing_error" -> ErrorClass.AUTH;
      default -> ErrorClass.UPSTREAM_5XX;
    };
  }

  static String truncate(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = MAX_MESSAGE_CHARS - ELLIPSIS.length();
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + ELLIPSIS;
  }

  private static String header(MultiMap headers, String name) {
    return headers == null ? null : headers.get(name);
  }

  private static JsonObject parseQuietly(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return objectOrNull(body.toJsonValue());
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static JsonObject objectOrNull(Object v) {
    return v instanceof JsonObject o ? o : null;
  }

  private static String stringOrNull(Object v) {
    return v instanceof String s ? s : null;
  }
}
