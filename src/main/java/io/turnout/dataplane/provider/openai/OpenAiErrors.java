package io.turnout.dataplane.provider.openai;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.RetryAfter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies OpenAI-compatible error answers, including the CometAPI variants the provider notes
 * call out: an empty {@code code}, a request id embedded in the message, a 500 that is really a
 * validation error ({@code code: "invalid_request"}) and HTML or redirect answers from a wrong path.
 */
final class OpenAiErrors {

  private static final int MAX_MESSAGE = 500;
  private static final Pattern EMBEDDED_REQUEST_ID = Pattern.compile("\\(request id: ([A-Za-z0-9_.:-]+)\\)");

  private OpenAiErrors() {}

  static ProviderFailure fromResponse(int status, MultiMap headers, Buffer body, LongSupplier nowMillis) {
    JsonObject error = errorObject(body);
    String type = error == null ? null : stringOrNull(error.getValue("type"));
    String code = error == null ? null : stringOrNull(error.getValue("code"));
    String param = error == null ? null : stringOrNull(error.getValue("param"));
    String message = error == null ? null : stringOrNull(error.getValue("message"));
    String requestId = headers.get("x-request-id");
    if (requestId == null && message != null) {
      Matcher m = EMBEDDED_REQUEST_ID.matcher(message);
      if (m.find()) {
        requestId = m.group(1);
      }
    }
    ErrorClass errorClass = classify(status, type, code);
    long retryAfter = errorClass == ErrorClass.RATE_LIMITED ? RetryAfter.millis(headers, nowMillis) : -1;
    String text = message != null ? truncate(message) : defaultMessage(status, error != null);
    return new ProviderFailure(errorClass, text, status, retryAfter, requestId, param, code != null ? code : type);
  }

  /** Classifies an error object that arrived inside a 200 stream. */
  static ProviderFailure fromStreamError(JsonObject error) {
    String type = stringOrNull(error.getValue("type"));
    String code = stringOrNull(error.getValue("code"));
    String message = stringOrNull(error.getValue("message"));
    ErrorClass errorClass;
    if (isContentPolicy(type, code)) {
      errorClass = ErrorClass.CONTENT_POLICY;
    } else if (contains(type, "rate_limit") || contains(code, "rate_limit")) {
      errorClass = ErrorClass.RATE_LIMITED;
    } else if ("invalid_request_error".equals(type)) {
      errorClass = ErrorClass.VALIDATION;
    } else if (contains(type, "authentication") || contains(type, "permission")) {
      errorClass = ErrorClass.AUTH;
    } else {
      errorClass = ErrorClass.UPSTREAM_5XX;
    }
    String text = "provider stream error" + (message != null ? ": " + truncate(message) : "");
    return new ProviderFailure(errorClass, text, 200, -1, null, stringOrNull(error.getValue("param")),
        code != null ? code : type);
  }

  static ErrorClass classify(int status, String type, String code) {
    if (status == 401 || status == 403) {
      return ErrorClass.AUTH;
    }
    if (status == 429) {
      return ErrorClass.RATE_LIMITED;
    }
    if (status == 408) {
      return ErrorClass.TIMEOUT;
    }
    if (status >= 500) {
      // CometAPI documents a 500 with code "invalid_request" for a malformed request: not retryable.
      return "invalid_request".equals(code) ? ErrorClass.VALIDATION : ErrorClass.UPSTREAM_5XX;
    }
    if (status >= 400) {
      return isContentPolicy(type, code) ? ErrorClass.CONTENT_POLICY : ErrorClass.VALIDATION;
    }
    // 1xx/3xx: a redirect or an odd status on a POST means the path or base URL is wrong.
    return ErrorClass.MALFORMED_RESPONSE;
  }

  private static boolean isContentPolicy(String type, String code) {
    return contains(code, "content_filter") || contains(code, "content_policy")
        || contains(type, "content_filter") || contains(type, "content_policy");
  }

  private static JsonObject errorObject(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object parsed = body.toJsonValue();
      if (parsed instanceof JsonObject json && json.getValue("error") instanceof JsonObject error) {
        return error;
      }
    } catch (RuntimeException notJson) {
      // an HTML error page from a proxy or CDN: classified by status alone
    }
    return null;
  }

  private static String defaultMessage(int status, boolean jsonBody) {
    if (status >= 300 && status < 400) {
      return "provider answered a redirect (status " + status + "): check the provider's base_url and path";
    }
    return "provider answered status " + status + (jsonBody ? "" : " without an OpenAI error body");
  }

  private static String stringOrNull(Object value) {
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  private static boolean contains(String value, String part) {
    return value != null && value.contains(part);
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
  }
}
