package io.turnout.dataplane.provider.anthropic;

import static io.turnout.dataplane.provider.anthropic.Fixtures.call;
import static io.turnout.dataplane.provider.anthropic.Fixtures.codec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.provider.UsageSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Request encoding and non-streaming response decoding of {@link AnthropicCodec}. */
class AnthropicCodecTest {

  private final AnthropicCodec codec = codec();

  // ---- request: golden fixtures ----

  @Test
  void encodesConversationWithToolsAndMergedToolResults() {
    JsonObject request = Fixtures.object("request-tools.openai.json");

    JsonObject encoded = encode(request);

    assertEquals(Fixtures.object("request-tools.anthropic.json"), encoded);
  }

  @Test
  void encodesImagesMergesUserTurnsAndUsesDefaultMaxTokensWhenStreaming() {
    JsonObject request = Fixtures.object("request-multimodal.openai.json");

    JsonObject encoded = new JsonObject(codec.encodeRequest(call(request, true, true)));

    assertEquals(Fixtures.object("request-multimodal.anthropic.json"), encoded);
  }

  @Test
  void neverMutatesTheClientRequest() {
    for (String name : new String[] {"request-tools.openai.json", "request-multimodal.openai.json"}) {
      JsonObject request = Fixtures.object(name);
      JsonObject before = request.copy();

      codec.encodeRequest(call(request));

      assertEquals(before, request, name);
    }
  }

  // ---- request: single mappings ----

  @Test
  void maxTokensFallsBackToMaxTokensThenToDefault() {
    assertEquals(300, encode(userRequest().put("max_tokens", 300)).getInteger("max_tokens"));
    assertEquals(Fixtures.DEFAULT_MAX_TOKENS, encode(userRequest()).getInteger("max_tokens"));
  }

  @ParameterizedTest
  @CsvSource({"max_tokens, 0", "max_tokens, '\"many\"'", "max_completion_tokens, -5", "max_completion_tokens, 1.5"})
  void rejectsMaxTokensThatIsNotAPositiveInteger(String field, String json) {
    JsonObject request = userRequest().put(field, new JsonObject("{\"v\":" + json + "}").getValue("v"));

    ProviderFailure failure = encodeFailure(request);

    assertValidation(failure, field, AnthropicFailures.INVALID_VALUE);
  }

  @Test
  void stopStringBecomesOneElementArray() {
    assertEquals(new JsonArray().add("\n\n"), encode(userRequest().put("stop", "\n\n")).getJsonArray("stop_sequences"));
    assertEquals(new JsonArray().add("a").add("b"),
        encode(userRequest().put("stop", new JsonArray().add("a").add("b"))).getJsonArray("stop_sequences"));
  }

  @Test
  void requestWithoutInstructionsHasNoSystemField() {
    assertFalse(encode(userRequest()).containsKey("system"));
  }

  static Stream<Arguments> toolChoices() {
    return Stream.of(
        Arguments.of("\"auto\"", null, "{\"type\":\"auto\"}"),
        Arguments.of("\"required\"", null, "{\"type\":\"any\"}"),
        Arguments.of("\"none\"", null, "{\"type\":\"none\"}"),
        Arguments.of("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", null,
            "{\"type\":\"tool\",\"name\":\"get_time\"}"),
        Arguments.of("\"auto\"", false, "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"),
        Arguments.of("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", false,
            "{\"type\":\"tool\",\"name\":\"get_time\",\"disable_parallel_tool_use\":true}"),
        Arguments.of(null, false, "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"),
        // Anthropic's "none" has no parallel switch; nothing can be called in parallel anyway.
        Arguments.of("\"none\"", false, "{\"type\":\"none\"}"),
        Arguments.of(null, true, null),
        Arguments.of(null, null, null));
  }

  @ParameterizedTest
  @MethodSource("toolChoices")
  void mapsToolChoiceAndParallelToolCalls(String choiceJson, Boolean parallel, String expectedJson) {
    JsonObject request = userRequest().put("tools", new JsonArray().add(new JsonObject()
        .put("type", "function").put("function", new JsonObject().put("name", "get_time"))));
    if (choiceJson != null) {
      request.put("tool_choice", new JsonObject("{\"v\":" + choiceJson + "}").getValue("v"));
    }
    if (parallel != null) {
      request.put("parallel_tool_calls", parallel);
    }

    JsonObject encoded = encode(request);

    assertEquals(expectedJson == null ? null : new JsonObject(expectedJson), encoded.getJsonObject("tool_choice"));
  }

  @Test
  void parallelToolCallsWithoutToolsAddsNoToolChoice() {
    assertFalse(encode(userRequest().put("parallel_tool_calls", false)).containsKey("tool_choice"));
  }

  // ---- request: rejected, never silently changed ----

  static Stream<Arguments> unsupportedRequests() {
    return Stream.of(
        Arguments.of("n", 2),
        Arguments.of("logprobs", true),
        Arguments.of("response_format", new JsonObject().put("type", "json_object")),
        Arguments.of("response_format", new JsonObject().put("type", "json_schema")
            .put("json_schema", new JsonObject().put("name", "x").put("schema", new JsonObject()))),
        Arguments.of("modalities", new JsonArray().add("text").add("audio")),
        Arguments.of("functions", new JsonArray().add(new JsonObject().put("name", "f"))));
  }

  @ParameterizedTest
  @MethodSource("unsupportedRequests")
  void rejectsWhatAnthropicCannotHonourNamingTheParam(String param, Object value) {
    ProviderFailure failure = encodeFailure(userRequest().put(param, value));

    assertValidation(failure, param, AnthropicFailures.UNSUPPORTED_PARAMETER);
  }

  @Test
  void rejectsInvalidToolArgumentsWithThePathAndWithoutQuotingThem() {
    JsonObject request = userRequest();
    request.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray()
            .add(toolCall("call_ok", "{}"))
            .add(toolCall("call_bad", "{\"secret-prompt-text\": "))));

    ProviderFailure failure = encodeFailure(request);

    assertValidation(failure, "messages[1].tool_calls[1].function.arguments", AnthropicFailures.INVALID_VALUE);
    assertFalse(failure.getMessage().contains("secret-prompt-text"), failure.getMessage());
  }

  @Test
  void rejectsToolArgumentsThatAreJsonButNotAnObject() {
    JsonObject request = userRequest();
    request.getJsonArray("messages").add(new JsonObject().put("role", "assistant")
        .put("tool_calls", new JsonArray().add(toolCall("call_1", "[1,2]"))));

    assertValidation(encodeFailure(request), "messages[1].tool_calls[0].function.arguments",
        AnthropicFailures.INVALID_VALUE);
  }

  @Test
  void rejectsToolMessageWithoutToolCallId() {
    JsonObject request = userRequest();
    request.getJsonArray("messages").add(new JsonObject().put("role", "tool").put("content", "42"));

    assertValidation(encodeFailure(request), "messages[1].tool_call_id", AnthropicFailures.INVALID_VALUE);
  }

  @Test
  void rejectsImageUrlThatIsNeitherHttpNorBase64Data() {
    JsonObject request = new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "ftp://example.com/private-photo.png"))))));

    ProviderFailure failure = encodeFailure(request);

    assertValidation(failure, "messages[0].content[0].image_url.url", AnthropicFailures.UNSUPPORTED_PARAMETER);
    assertFalse(failure.getMessage().contains("private-photo"), failure.getMessage());
  }

  @Test
  void rejectsUnknownRoleAndMissingMessages() {
    JsonObject request = new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("role", "function").put("content", "x")));
    assertValidation(encodeFailure(request), "messages[0].role", AnthropicFailures.UNSUPPORTED_PARAMETER);
    assertValidation(encodeFailure(new JsonObject()), "messages", AnthropicFailures.INVALID_VALUE);
  }

  // ---- response: golden fixtures ----

  @Test
  void decodesToolUseResponseSkippingThinkingAndCountingCacheTokens() {
    Completion completion = codec.decodeCompletion(Buffer.buffer(Fixtures.text("response-tool-use.anthropic.json")));

    assertEquals(Fixtures.object("response-tool-use.openai.json"), new JsonObject(completion.body()));
    assertEquals(Usage.provider(200, 64), completion.usage());
    assertEquals(Fixtures.MODEL, completion.providerModel());
    assertNull(completion.providerRequestId());
  }

  @Test
  void decodesTextResponseWithoutUsageAsUsageNone() {
    Completion completion = codec.decodeCompletion(Buffer.buffer(Fixtures.text("response-text.anthropic.json")));

    assertEquals(Fixtures.object("response-text.openai.json"), new JsonObject(completion.body()));
    assertEquals(Usage.NONE, completion.usage());
    assertEquals(UsageSource.NONE, completion.usage().source());
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, stop", "stop_sequence, stop", "pause_turn, stop",
      "max_tokens, length", "model_context_window_exceeded, length",
      "tool_use, tool_calls", "refusal, content_filter"})
  void mapsEachStopReason(String stopReason, String finishReason) {
    JsonObject body = minimalResponse().put("stop_reason", stopReason);

    JsonObject decoded = new JsonObject(codec.decodeCompletion(body.toBuffer()).body());

    assertEquals(finishReason, decoded.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
  }

  @Test
  void responseWithOnlyToolUseHasNullContent() {
    JsonObject body = minimalResponse().put("stop_reason", "tool_use").put("content", new JsonArray()
        .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "f").put("input", new JsonObject())));

    JsonObject message = new JsonObject(codec.decodeCompletion(body.toBuffer()).body())
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message");

    assertNull(message.getValue("content"));
    assertEquals("{}", message.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("arguments"));
  }

  // ---- response: contract breaks ----

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("<html>bad gateway</html>", "not a JSON object"),
        Arguments.of("[1, 2]", "not a JSON object"),
        Arguments.of(minimalResponse().put("type", "error").encode(), "invalid field: type"),
        Arguments.of(without(minimalResponse(), "type"), "missing field: type"),
        Arguments.of(without(minimalResponse(), "id"), "missing field: id"),
        Arguments.of(minimalResponse().put("id", " ").encode(), "missing field: id"),
        Arguments.of(without(minimalResponse(), "content"), "missing field: content"),
        Arguments.of(minimalResponse().put("content", "hello").encode(), "invalid field: content"),
        Arguments.of(withBlock(new JsonObject().put("text", "x")), "missing field: content[0].type"),
        Arguments.of(withBlock(new JsonObject().put("type", "text")), "missing field: content[0].text"),
        Arguments.of(withBlock(new JsonObject().put("type", "text").put("text", 5)), "invalid field: content[0].text"),
        Arguments.of(withBlock(new JsonObject().put("type", "tool_use").put("name", "f").put("input", new JsonObject())),
            "missing field: content[0].id"),
        Arguments.of(withBlock(new JsonObject().put("type", "tool_use").put("id", "t").put("input", new JsonObject())),
            "missing field: content[0].name"),
        Arguments.of(withBlock(new JsonObject().put("type", "tool_use").put("id", "t").put("name", "f").put("input", "{}")),
            "invalid field: content[0].input"),
        Arguments.of(without(minimalResponse(), "stop_reason"), "missing field: stop_reason"),
        Arguments.of(minimalResponse().putNull("stop_reason").encode(), "missing field: stop_reason"),
        Arguments.of(minimalResponse().put("stop_reason", "took_a_nap").encode(), "invalid field: stop_reason"),
        Arguments.of(minimalResponse().put("usage", "lots").encode(), "invalid field: usage"),
        Arguments.of(minimalResponse().put("usage", new JsonObject().put("output_tokens", 3)).encode(),
            "missing field: usage.input_tokens"),
        Arguments.of(minimalResponse().put("usage", new JsonObject().put("input_tokens", -1).put("output_tokens", 3)).encode(),
            "invalid field: usage.input_tokens"),
        Arguments.of(minimalResponse().put("usage", new JsonObject().put("input_tokens", 1).put("output_tokens", "3")).encode(),
            "invalid field: usage.output_tokens"),
        Arguments.of(minimalResponse().put("usage", new JsonObject().put("input_tokens", 1).put("output_tokens", 2.5)).encode(),
            "invalid field: usage.output_tokens"),
        Arguments.of(minimalResponse().put("usage", new JsonObject().put("input_tokens", 1).put("output_tokens", 2)
            .put("cache_read_input_tokens", -7)).encode(), "invalid field: usage.cache_read_input_tokens"));
  }

  @ParameterizedTest
  @MethodSource("malformedBodies")
  void rejectsBodiesThatBreakTheContract(String body, String expectedMessage) {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> codec.decodeCompletion(Buffer.buffer(body)));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertEquals(200, failure.upstreamStatus());
    assertEquals(true, failure.getMessage().contains(expectedMessage), failure.getMessage());
  }

  @Test
  void toleratesUnknownFieldsAndBlockTypes() {
    JsonObject body = minimalResponse().put("brand_new_field", new JsonObject().put("x", 1))
        .put("content", new JsonArray()
            .add(new JsonObject().put("type", "redacted_thinking").put("data", "abc"))
            .add(new JsonObject().put("type", "server_tool_use").put("id", "srvtoolu_1").put("name", "web_search"))
            .add(new JsonObject().put("type", "text").put("text", "ok").put("citations", new JsonArray())));

    JsonObject message = new JsonObject(codec.decodeCompletion(body.toBuffer()).body())
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message");

    assertEquals("ok", message.getString("content"));
    assertFalse(message.containsKey("tool_calls"));
  }

  // ---- helpers ----

  private JsonObject encode(JsonObject request) {
    return new JsonObject(codec.encodeRequest(call(request)));
  }

  private ProviderFailure encodeFailure(JsonObject request) {
    return assertThrows(ProviderFailure.class, () -> codec.encodeRequest(call(request)));
  }

  private static void assertValidation(ProviderFailure failure, String param, String code) {
    assertEquals(ErrorClass.VALIDATION, failure.errorClass());
    assertEquals(400, failure.upstreamStatus());
    assertEquals(param, failure.param());
    assertEquals(code, failure.code());
  }

  private static JsonObject userRequest() {
    return new JsonObject().put("model", "smart")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
  }

  private static JsonObject toolCall(String id, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", "f").put("arguments", arguments));
  }

  private static JsonObject minimalResponse() {
    return new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant")
        .put("model", Fixtures.MODEL).put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "ok")))
        .put("stop_reason", "end_turn").put("usage", new JsonObject().put("input_tokens", 3).put("output_tokens", 1));
  }

  private static String without(JsonObject body, String field) {
    body.remove(field);
    return body.encode();
  }

  private static String withBlock(JsonObject block) {
    return minimalResponse().put("content", new JsonArray().add(block)).encode();
  }
}
