package io.turnout.dataplane.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.routing.RouteRejection;
import io.turnout.dataplane.provider.ProviderFailure;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** ApiError.fromFailure: the one place a failure class becomes a client status and OpenAI error body. */
class ApiErrorTest {

  /** The expected status, type and code of every class, for an upstream 500 with no Retry-After. */
  private static final Map<ErrorClass, Object[]> EXPECTED = new EnumMap<>(ErrorClass.class);

  static {
    EXPECTED.put(ErrorClass.AUTH, new Object[] {502, "api_error", "upstream_auth_failed"});
    EXPECTED.put(ErrorClass.VALIDATION, new Object[] {400, "invalid_request_error", "provider_code"});
    EXPECTED.put(ErrorClass.CONTENT_POLICY, new Object[] {400, "invalid_request_error", "content_filter"});
    EXPECTED.put(ErrorClass.RATE_LIMITED, new Object[] {429, "rate_limit_error", "rate_limit_exceeded"});
    EXPECTED.put(ErrorClass.UPSTREAM_5XX, new Object[] {502, "api_error", "upstream_error"});
    EXPECTED.put(ErrorClass.TIMEOUT, new Object[] {504, "api_error", "upstream_timeout"});
    EXPECTED.put(ErrorClass.NETWORK, new Object[] {502, "api_error", "upstream_unreachable"});
    EXPECTED.put(ErrorClass.MALFORMED_RESPONSE, new Object[] {502, "api_error", "malformed_response"});
    EXPECTED.put(ErrorClass.CLIENT_CANCELLED, new Object[] {499, "api_error", "client_cancelled"});
  }

  private static ProviderFailure failure(ErrorClass errorClass, int status) {
    return new ProviderFailure(errorClass, "provider said: Incorrect API key sk-live-1234", status, 2_500,
        "req_up_1", "messages", "provider_code");
  }

  @Test
  void givenTheTable_whenCompared_thenEveryErrorClassIsCovered() {
    assertEquals(EnumSet.allOf(ErrorClass.class), EXPECTED.keySet());
  }

  @ParameterizedTest
  @EnumSource(ErrorClass.class)
  void givenEachErrorClass_whenMapped_thenStatusTypeCodeClassAndProviderAreSet(ErrorClass errorClass) {
    ApiError error = ApiError.fromFailure(failure(errorClass, 500), "primary");

    Object[] expected = EXPECTED.get(errorClass);
    assertEquals(expected[0], error.status(), "status");
    assertEquals(expected[1], error.type(), "type");
    assertEquals(expected[2], error.code(), "code");
    assertSame(errorClass, error.errorClass());
    assertEquals("primary", error.provider());
  }

  @Test
  void givenAnAttemptTheNodeCancelledToDrainItsRoute_whenMapped_then503RouteDrainedThatIsWorthARetry() {
    ProviderFailure drained = new ProviderFailure(ErrorClass.CLIENT_CANCELLED, "the request's route version was"
        + " drained", 0, -1, null, null, AttemptChain.ROUTE_DRAINED);

    ApiError error = ApiError.fromFailure(drained, "cometapi");

    assertEquals(503, error.status());
    assertEquals("api_error", error.type());
    assertEquals("route_drained", error.code());
    assertSame(ErrorClass.CLIENT_CANCELLED, error.errorClass());
    assertTrue(error.retryUseful(), "the scope's new version can serve the same request");
  }

  @Test
  void givenAuthFailure_whenMapped_then502AndTheProviderMessageIsNeverRelayed() {
    ApiError error = ApiError.fromFailure(failure(ErrorClass.AUTH, 401), "primary");

    assertEquals(502, error.status());
    assertFalse(error.message().contains("sk-live"), error.message());
    assertFalse(error.message().contains("provider said"), error.message());
    assertFalse(error.toJson().encode().contains("sk-live"));
    assertFalse(error.toBusJson().encode().contains("sk-live"));
    assertNull(error.param());
  }

  @ParameterizedTest(name = "upstream {0} -> {1}")
  @CsvSource({"400, 400", "404, 404", "413, 413", "422, 422", "409, 400", "500, 400", "0, 400"})
  void givenValidationFailure_whenMapped_thenOnly404413And422AreKeptElse400(int upstream, int expected) {
    ApiError error = ApiError.fromFailure(failure(ErrorClass.VALIDATION, upstream), "primary");

    assertEquals(expected, error.status());
    assertEquals("messages", error.param());
    assertEquals("provider said: Incorrect API key sk-live-1234", error.message());
  }

  @Test
  void givenContentPolicyFailure_whenMapped_then400WithContentFilterCodeAndParam() {
    ApiError error = ApiError.fromFailure(failure(ErrorClass.CONTENT_POLICY, 400), "primary");

    assertEquals(400, error.status());
    assertEquals("content_filter", error.code());
    assertEquals("messages", error.param());
  }

  @Test
  void givenRateLimitedFailure_whenMapped_then429WithRetryAfter() {
    ApiError error = ApiError.fromFailure(failure(ErrorClass.RATE_LIMITED, 429), "fallback");

    assertEquals(429, error.status());
    assertEquals(2_500, error.retryAfterMillis());
    assertEquals("fallback", error.provider());
  }

  @ParameterizedTest
  @EnumSource(value = ErrorClass.class, mode = EnumSource.Mode.EXCLUDE, names = "RATE_LIMITED")
  void givenNonRateLimitFailureWithRetryHint_whenMapped_thenNoRetryAfterIsPassedOn(ErrorClass errorClass) {
    assertEquals(-1, ApiError.fromFailure(failure(errorClass, 500), "primary").retryAfterMillis());
  }

  @ParameterizedTest
  @EnumSource(ErrorClass.class)
  void givenAnyMappedError_whenSerialised_thenBodyHasExactlyTheFourOpenAiErrorFields(ErrorClass errorClass) {
    ApiError error = ApiError.fromFailure(failure(errorClass, 500), "primary");

    JsonObject json = error.toJson();

    assertEquals(Set.of("error"), json.fieldNames());
    JsonObject inner = json.getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), inner.fieldNames());
    assertEquals(error.message(), inner.getString("message"));
    assertEquals(error.type(), inner.getString("type"));
    assertEquals(error.param(), inner.getValue("param"));
    assertEquals(error.code(), inner.getString("code"));
  }

  @Test
  void givenErrorWithNullParam_whenSerialised_thenParamIsPresentAsNull() {
    JsonObject inner = ApiError.fromFailure(failure(ErrorClass.TIMEOUT, 0), "p").toJson().getJsonObject("error");

    assertTrue(inner.containsKey("param"));
    assertNull(inner.getValue("param"));
  }

  @Test
  void givenUpstreamError_whenSerialisedForTheBus_thenClassProviderAndStatusAreAdded() {
    ApiError error = ApiError.fromFailure(failure(ErrorClass.TIMEOUT, 0), "primary");

    JsonObject bus = error.toBusJson();

    assertEquals(Set.of("error", "error_class", "provider", "status"), bus.fieldNames());
    assertEquals("timeout", bus.getString("error_class"));
    assertEquals("primary", bus.getString("provider"));
    assertEquals(504, bus.getInteger("status"));
    assertEquals(error.toJson().getJsonObject("error"), bus.getJsonObject("error"));
  }

  @Test
  void givenClientError_whenSerialisedForTheBus_thenClassIsClientError() {
    JsonObject bus = ApiError.invalidRequest("bad", "n", "invalid_request").toBusJson();

    assertEquals("client_error", bus.getString("error_class"));
    assertNull(bus.getValue("provider"));
    assertEquals(400, bus.getInteger("status"));
  }

  @ParameterizedTest
  @EnumSource(value = ErrorClass.class, names = {"AUTH", "VALIDATION", "CONTENT_POLICY"})
  void givenFailureARetryCannotFix_whenAsked_thenRetryIsNotUseful(ErrorClass errorClass) {
    for (int upstream : List.of(400, 401, 403, 404, 413, 422, 500)) {
      assertFalse(ApiError.fromFailure(failure(errorClass, upstream), "p").retryUseful(), errorClass + "/" + upstream);
    }
  }

  @ParameterizedTest
  @EnumSource(value = ErrorClass.class, names = {"RATE_LIMITED", "UPSTREAM_5XX", "TIMEOUT", "NETWORK",
      "MALFORMED_RESPONSE"})
  void givenTransientFailure_whenAsked_thenRetryIsUseful(ErrorClass errorClass) {
    assertTrue(ApiError.fromFailure(failure(errorClass, 500), "p").retryUseful());
  }

  @Test
  void givenRouteRejections_whenAsked_thenRetryIsNotUseful() {
    for (RouteRejection.Kind kind : RouteRejection.Kind.values()) {
      ApiError error = ApiError.fromRejection(RouteRejection.of(kind, "m", null));

      assertEquals(kind.status(), error.status());
      assertEquals(kind.code(), error.code());
      assertFalse(error.retryUseful(), kind.name());
    }
  }

  @Test
  void givenModelNotFound_whenBuilt_thenOpenAiShaped404WithTruncatedAlias() {
    ApiError error = ApiError.modelNotFound("a".repeat(300));

    assertEquals(404, error.status());
    assertEquals("model", error.param());
    assertEquals("model_not_found", error.code());
    assertTrue(error.message().length() < 200, error.message());
    assertFalse(error.retryUseful());
  }
}
