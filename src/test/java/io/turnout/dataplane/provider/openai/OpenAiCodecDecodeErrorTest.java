package io.turnout.dataplane.provider.openai;

import static io.turnout.dataplane.provider.openai.Fixtures.buffer;
import static io.turnout.dataplane.provider.openai.Fixtures.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAiCodec.decodeError: every non-2xx answer lands in exactly one ErrorClass, CometAPI quirks included. */
class OpenAiCodecDecodeErrorTest {

  /** 2023-11-14T22:13:20Z, a Tuesday. */
  private static final long NOW = 1_700_000_000_000L;

  private final OpenAiCodec codec = new OpenAiCodec(true, () -> NOW);

  private static Buffer error(String type, String code, String param, String message) {
    JsonObject error = new JsonObject().put("message", message).put("type", type).put("param", param).put("code", code);
    return new JsonObject().put("error", error).toBuffer();
  }

  private ProviderFailure decode(int status, Buffer body) {
    return codec.decodeError(status, MultiMap.caseInsensitiveMultiMap(), body);
  }

  @Test
  void given400WithOpenAiErrorBody_whenDecoded_thenValidationKeepsParamCodeAndMessage() {
    ProviderFailure failure = decode(400, buffer("error-openai-400.json"));

    assertEquals(ErrorClass.VALIDATION, failure.errorClass());
    assertEquals(400, failure.upstreamStatus());
    assertEquals("temperature", failure.param());
    assertEquals("invalid_value", failure.code());
    assertEquals("Invalid value for 'temperature': expected a number between 0 and 2.", failure.getMessage());
    assertEquals(-1, failure.retryAfterMillis());
  }

  @ParameterizedTest(name = "type={0} code={1}")
  @CsvSource({
      "invalid_request_error, content_filter",
      "invalid_request_error, content_policy_violation",
      "content_filter,        ''",
  })
  void given400ContentFilter_whenDecoded_thenContentPolicy(String type, String code) {
    ProviderFailure failure = decode(400, error(type, code, "messages", "The response was filtered"));

    assertEquals(ErrorClass.CONTENT_POLICY, failure.errorClass());
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {401, 403})
  void givenAuthStatus_whenDecoded_thenAuth(int status) {
    ProviderFailure failure = decode(status, error("invalid_request_error", "invalid_api_key", null,
        "Incorrect API key provided: sk-abc***xyz."));

    assertEquals(ErrorClass.AUTH, failure.errorClass());
    assertEquals(status, failure.upstreamStatus());
  }

  @Test
  void given403HtmlFromWaf_whenDecoded_thenAuth() {
    ProviderFailure failure = decode(403, Buffer.buffer("<html><body>Access denied</body></html>"));

    assertEquals(ErrorClass.AUTH, failure.errorClass());
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {400, 404, 409, 413, 422})
  void givenClientErrorStatus_whenDecoded_thenValidation(int status) {
    ProviderFailure failure = decode(status, error("invalid_request_error", "model_not_found", "model", "nope"));

    assertEquals(ErrorClass.VALIDATION, failure.errorClass());
    assertEquals(status, failure.upstreamStatus());
  }

  @Test
  void given408_whenDecoded_thenTimeout() {
    assertEquals(ErrorClass.TIMEOUT, decode(408, Buffer.buffer()).errorClass());
  }

  @Test
  void given429WithRetryAfterSeconds_whenDecoded_thenRateLimitedWithMillis() {
    ProviderFailure failure = codec.decodeError(429, headers("Retry-After", "7"),
        error("requests", "rate_limit_exceeded", null, "Rate limit reached"));

    assertEquals(ErrorClass.RATE_LIMITED, failure.errorClass());
    assertEquals(7_000, failure.retryAfterMillis());
    assertEquals("rate_limit_exceeded", failure.code());
  }

  @Test
  void given429WithRetryAfterMs_whenDecoded_thenItWinsOverRetryAfter() {
    ProviderFailure failure = codec.decodeError(429, headers("retry-after-ms", "1500", "retry-after", "9"),
        error("requests", "rate_limit_exceeded", null, "Rate limit reached"));

    assertEquals(ErrorClass.RATE_LIMITED, failure.errorClass());
    assertEquals(1_500, failure.retryAfterMillis());
  }

  @Test
  void given429WithRetryAfterHttpDate_whenDecoded_thenDelayIsMeasuredFromTheInjectedClock() {
    ProviderFailure failure = codec.decodeError(429, headers("retry-after", "Tue, 14 Nov 2023 22:13:50 GMT"),
        Buffer.buffer());

    assertEquals(ErrorClass.RATE_LIMITED, failure.errorClass());
    assertEquals(30_000, failure.retryAfterMillis());
  }

  @Test
  void given429WithRetryAfterDateInThePast_whenDecoded_thenDelayIsZero() {
    ProviderFailure failure = codec.decodeError(429, headers("retry-after", "Tue, 14 Nov 2023 22:00:00 GMT"),
        Buffer.buffer());

    assertEquals(0, failure.retryAfterMillis());
  }

  @ParameterizedTest(name = "retry-after={0}")
  @ValueSource(strings = {"soon", "-5", ""})
  void given429WithUnreadableRetryAfter_whenDecoded_thenNoHint(String value) {
    ProviderFailure failure = codec.decodeError(429, headers("retry-after", value), Buffer.buffer());

    assertEquals(ErrorClass.RATE_LIMITED, failure.errorClass());
    assertEquals(-1, failure.retryAfterMillis());
  }

  @Test
  void given429WithoutHeaders_whenDecoded_thenNoHint() {
    assertEquals(-1, decode(429, Buffer.buffer()).retryAfterMillis());
  }

  @Test
  void givenRetryAfterOnANonRateLimitError_whenDecoded_thenItIsIgnored() {
    ProviderFailure failure = codec.decodeError(503, headers("retry-after", "5"), Buffer.buffer());

    assertEquals(-1, failure.retryAfterMillis());
  }

  @Test
  void givenCometApi500WithInvalidRequestCode_whenDecoded_thenValidationWithEmbeddedRequestId() {
    ProviderFailure failure = decode(500, buffer("error-cometapi-500-invalid-request.json"));

    assertEquals(ErrorClass.VALIDATION, failure.errorClass());
    assertEquals(500, failure.upstreamStatus());
    assertEquals("invalid_request", failure.code());
    assertEquals("2025110209301112345678", failure.providerRequestId());
    assertNull(failure.param(), "an empty param is absent");
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {500, 502, 503, 504, 524, 529})
  void givenServerStatus_whenDecoded_thenUpstream5xx(int status) {
    ProviderFailure failure = decode(status, error("server_error", null, null, "The server had an error"));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertEquals(status, failure.upstreamStatus());
  }

  @ParameterizedTest(name = "status {0}")
  @CsvSource({"502, UPSTREAM_5XX", "503, UPSTREAM_5XX", "403, AUTH", "404, VALIDATION", "429, RATE_LIMITED"})
  void givenHtmlBody_whenDecoded_thenClassifiedByStatusAndHtmlIsNotEchoed(int status, ErrorClass expected) {
    ProviderFailure failure = decode(status, buffer("error-html-502.html"));

    assertEquals(expected, failure.errorClass());
    assertFalse(failure.getMessage().contains("<"), failure.getMessage());
    assertFalse(failure.getMessage().contains("do-not-echo-this-html"), failure.getMessage());
    assertTrue(failure.getMessage().contains(String.valueOf(status)), failure.getMessage());
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {301, 302, 307, 308})
  void givenRedirect_whenDecoded_thenMalformedResponseNamingBaseUrlAndPath(int status) {
    ProviderFailure failure = codec.decodeError(status, headers("location", "https://api.example.com/v1/"),
        Buffer.buffer("<html>Moved</html>"));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains("base_url"), failure.getMessage());
    assertTrue(failure.getMessage().contains("path"), failure.getMessage());
  }

  @Test
  void givenRequestIdHeader_whenDecoded_thenItIsKept() {
    ProviderFailure failure = codec.decodeError(500, headers("X-Request-Id", "req_hdr_1"),
        error("server_error", null, null, "oops (request id: req_in_msg)"));

    assertEquals("req_hdr_1", failure.providerRequestId());
  }

  @Test
  void givenRequestIdOnlyInMessage_whenDecoded_thenItIsExtracted() {
    ProviderFailure failure = decode(400, error("invalid_request_error", null, null,
        "Invalid model name (request id: 20251102-abc.DEF_9:1)"));

    assertEquals("20251102-abc.DEF_9:1", failure.providerRequestId());
  }

  @Test
  void givenNoRequestIdAnywhere_whenDecoded_thenNone() {
    assertNull(decode(400, error("invalid_request_error", null, null, "bad")).providerRequestId());
  }

  @Test
  void givenEmptyCode_whenDecoded_thenItIsTreatedAsAbsent() {
    ProviderFailure failure = decode(400, error("invalid_request_error", "", "", "bad"));

    assertEquals(ErrorClass.VALIDATION, failure.errorClass());
    assertFalse("".equals(failure.code()), "an empty code must not be relayed as a code");
    assertEquals("invalid_request_error", failure.code(), "absent code falls back to the type");
    assertNull(failure.param());
  }

  @Test
  void givenEmptyCodeOn500_whenDecoded_thenUpstream5xx() {
    ProviderFailure failure = decode(500, error("", "", null, "upstream failed"));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertNull(failure.code());
  }

  @Test
  void givenEmptyBody_whenDecoded_thenMessageNamesTheStatus() {
    ProviderFailure failure = decode(503, Buffer.buffer());

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertTrue(failure.getMessage().contains("503"), failure.getMessage());
  }

  @Test
  void givenJsonWithoutErrorObject_whenDecoded_thenClassifiedByStatus() {
    ProviderFailure failure = decode(400, new JsonObject().put("detail", "nope").toBuffer());

    assertEquals(ErrorClass.VALIDATION, failure.errorClass());
    assertTrue(failure.getMessage().contains("400"), failure.getMessage());
  }

  @Test
  void givenVeryLongMessage_whenDecoded_thenItIsTruncated() {
    ProviderFailure failure = decode(400, error("invalid_request_error", null, null, "x".repeat(5_000)));

    assertTrue(failure.getMessage().length() <= 503, "length " + failure.getMessage().length());
    assertTrue(failure.getMessage().endsWith("..."));
  }
}
