package io.turnout.dataplane.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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

/** {@link AnthropicCodec#decodeError}: classification of non-2xx answers. */
class AnthropicErrorDecodingTest {

  private final AnthropicCodec codec = Fixtures.codec();

  @ParameterizedTest
  @CsvSource({
      "400, invalid_request_error, VALIDATION",
      "401, authentication_error, AUTH",
      "402, billing_error, AUTH",
      "403, permission_error, AUTH",
      "404, not_found_error, VALIDATION",
      "413, request_too_large, VALIDATION",
      "422, invalid_request_error, VALIDATION",
      "429, rate_limit_error, RATE_LIMITED",
      "500, api_error, UPSTREAM_5XX",
      "502, api_error, UPSTREAM_5XX",
      "503, api_error, UPSTREAM_5XX",
      "529, overloaded_error, UPSTREAM_5XX",
      "409, conflict_error, VALIDATION",
      "418, teapot_error, VALIDATION"})
  void classifiesByStatusAndKeepsTheProviderTypeAsCode(int status, String type, ErrorClass expected) {
    Buffer body = envelope(type, "Something went wrong", "req_011CSHoEeqs5C35K2UUqR7Fy");

    ProviderFailure failure = codec.decodeError(status, MultiMap.caseInsensitiveMultiMap(), body);

    assertEquals(expected, failure.errorClass());
    assertEquals(status, failure.upstreamStatus());
    assertEquals(type, failure.code());
    assertEquals("Something went wrong", failure.getMessage());
    assertEquals("req_011CSHoEeqs5C35K2UUqR7Fy", failure.providerRequestId());
    assertNull(failure.param());
  }

  @Test
  void rateLimitCarriesRetryAfterSeconds() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "7");

    ProviderFailure failure = codec.decodeError(429, headers, envelope("rate_limit_error", "slow down", null));

    assertEquals(ErrorClass.RATE_LIMITED, failure.errorClass());
    assertEquals(7_000, failure.retryAfterMillis());
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("retry-after", "7").add("retry-after-ms", "1500");

    assertEquals(1_500, codec.decodeError(429, headers, envelope("rate_limit_error", "x", null)).retryAfterMillis());
  }

  @Test
  void overloadedKeepsItsRetryAfterToo() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("retry-after", "2");

    ProviderFailure failure = codec.decodeError(529, headers, envelope("overloaded_error", "Overloaded", null));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertEquals(2_000, failure.retryAfterMillis());
  }

  @ParameterizedTest
  @CsvSource({"soon", "-3", "''", "NaN"})
  void retryAfterThatIsNeitherSecondsNorADateIsIgnored(String value) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("retry-after", value);

    assertEquals(-1, codec.decodeError(429, headers, envelope("rate_limit_error", "x", null)).retryAfterMillis());
  }

  @Test
  void retryAfterAsHttpDateIsTheDelayFromTheCodecClock() {
    String inNinetySeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
        .format(java.time.Instant.ofEpochSecond(Fixtures.CREATED + 90).atZone(java.time.ZoneOffset.UTC));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("retry-after", inNinetySeconds);

    assertEquals(90_000, codec.decodeError(429, headers, envelope("rate_limit_error", "x", null)).retryAfterMillis());
  }

  @Test
  void noRetryAfterHeaderMeansMinusOne() {
    assertEquals(-1, codec.decodeError(429, MultiMap.caseInsensitiveMultiMap(),
        envelope("rate_limit_error", "x", null)).retryAfterMillis());
  }

  @Test
  void requestIdFallsBackToTheHeader() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("request-id", "req_from_header");

    assertEquals("req_from_header", codec.decodeError(500, headers, envelope("api_error", "x", null)).providerRequestId());
    assertEquals("request-id", codec.requestIdHeader());
  }

  @Test
  void nonJsonBodyIsClassifiedByStatusWithoutEchoingIt() {
    Buffer html = Buffer.buffer("<html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("request-id", "req_html");

    ProviderFailure failure = codec.decodeError(502, headers, html);

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertFalse(failure.getMessage().contains("html"), failure.getMessage());
    assertFalse(failure.getMessage().contains("cloudflare"), failure.getMessage());
    assertTrue(failure.getMessage().contains("502"), failure.getMessage());
    assertNull(failure.code());
    assertEquals("req_html", failure.providerRequestId());
  }

  @Test
  void jsonThatIsNotTheEnvelopeGetsAGenericMessage() {
    ProviderFailure failure = codec.decodeError(401, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer("{\"error\":\"nope\"}"));

    assertEquals(ErrorClass.AUTH, failure.errorClass());
    assertTrue(failure.getMessage().contains("401"), failure.getMessage());
  }

  @Test
  void longProviderMessagesAreTruncatedTo500Chars() {
    ProviderFailure failure = codec.decodeError(400, MultiMap.caseInsensitiveMultiMap(),
        envelope("invalid_request_error", "x".repeat(5_000), null));

    assertEquals(AnthropicErrors.MAX_MESSAGE_CHARS, failure.getMessage().length());
    assertTrue(failure.getMessage().endsWith("..."));
  }

  @Test
  void neverThrowsOnMissingPieces() {
    ProviderFailure failure = assertDoesNotThrow(() -> codec.decodeError(503, null, null));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertEquals(-1, failure.retryAfterMillis());
    assertDoesNotThrow(() -> codec.decodeError(500, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("")));
    assertDoesNotThrow(() -> codec.decodeError(500, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("\"just a string\"")));
  }

  private static Buffer envelope(String type, String message, String requestId) {
    JsonObject body = new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    return body.toBuffer();
  }
}
