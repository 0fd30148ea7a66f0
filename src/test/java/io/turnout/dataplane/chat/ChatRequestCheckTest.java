package io.turnout.dataplane.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ChatRequestCheck: a bad request is a 400 naming the exact param; a good one passes untouched. */
class ChatRequestCheckTest {

  private static final String MINIMAL = """
      {"model": "support-summary-v3", "messages": [{"role": "user", "content": "hi"}]}
      """;

  private static final String RICH = """
      {
        "model": "support-summary-v3",
        "messages": [
          {"role": "system", "content": "be brief"},
          {"role": "developer", "content": "json only"},
          {"role": "user", "content": [{"type": "text", "text": "weather?"},
                                       {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]},
          {"role": "assistant", "content": null,
           "tool_calls": [{"id": "call_1", "type": "function",
                           "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
          {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temp\\":21}"},
          {"role": "assistant", "content": null, "refusal": "no"}
        ],
        "tools": [{"type": "function", "function": {"name": "get_weather", "description": "d",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "response_format": {"type": "json_schema", "json_schema": {"name": "w", "schema": {"type": "object"}}},
        "stream": true,
        "stream_options": {"include_usage": true},
        "temperature": 0,
        "top_p": 1,
        "presence_penalty": -2,
        "frequency_penalty": 2.0,
        "n": 1,
        "max_tokens": 100,
        "max_completion_tokens": 200,
        "logprobs": true,
        "top_logprobs": 20,
        "seed": -9007199254740993,
        "parallel_tool_calls": false,
        "stop": ["\\n\\n", "END", "STOP", "x"],
        "user": "user-1"
      }
      """;

  private static JsonObject minimal() {
    return new JsonObject(MINIMAL);
  }

  // ---- accepted requests ------------------------------------------------------------------

  @Test
  void givenMinimalRequest_whenChecked_thenAcceptedWithAliasAndNoStream() {
    JsonObject body = minimal();

    ChatRequest request = ChatRequestCheck.check(body);

    assertSame(body, request.body());
    assertEquals("support-summary-v3", request.alias());
    assertFalse(request.stream());
    assertFalse(request.includeUsage());
  }

  @Test
  void givenRichRequest_whenChecked_thenAcceptedWithStreamAndIncludeUsage() {
    JsonObject body = new JsonObject(RICH);
    JsonObject before = body.copy();

    ChatRequest request = ChatRequestCheck.check(body);

    assertTrue(request.stream());
    assertTrue(request.includeUsage());
    assertEquals(before, request.body(), "the check must not change the request");
  }

  @Test
  void givenStreamOptionsWithoutIncludeUsage_whenChecked_thenIncludeUsageIsFalse() {
    JsonObject body = minimal().put("stream", true).put("stream_options", new JsonObject());

    assertFalse(ChatRequestCheck.check(body).includeUsage());
  }

  @Test
  void givenUnknownTopLevelFields_whenChecked_thenAcceptedAndLeftInBody() {
    JsonObject body = minimal()
        .put("reasoning_effort", "low")
        .put("x_vendor", new JsonObject().put("a", new JsonArray().add(1)))
        .put("metadata", new JsonObject().put("k", "v"))
        .putNull("some_null_field");
    JsonObject before = body.copy();

    ChatRequest request = ChatRequestCheck.check(body);

    assertEquals(before, request.body());
    assertEquals("low", request.body().getString("reasoning_effort"));
    assertTrue(request.body().containsKey("some_null_field"));
  }

  @Test
  void givenStringStopAndStringToolChoice_whenChecked_thenAccepted() {
    for (String choice : new String[] {"none", "auto", "required"}) {
      assertNotNull(ChatRequestCheck.check(minimal().put("stop", "END").put("tool_choice", choice)));
    }
  }

  @Test
  void givenTextAndJsonObjectResponseFormats_whenChecked_thenAccepted() {
    for (String type : new String[] {"text", "json_object"}) {
      assertNotNull(ChatRequestCheck.check(minimal().put("response_format", new JsonObject().put("type", type))));
    }
  }

  @Test
  void givenNullOptionalFields_whenChecked_thenTreatedAsAbsent() {
    JsonObject body = minimal().putNull("temperature").putNull("stream_options").putNull("tools").putNull("stop")
        .putNull("stream");

    assertFalse(ChatRequestCheck.check(body).stream());
  }

  // ---- rejected requests ------------------------------------------------------------------

  static Stream<Arguments> rejections() {
    return Stream.of(
        reject("missing model", b -> b.remove("model"), "model"),
        reject("empty model", b -> b.put("model", ""), "model"),
        reject("model not a string", b -> b.put("model", 3), "model"),
        reject("missing messages", b -> b.remove("messages"), "messages"),
        reject("messages not a list", b -> b.put("messages", "hi"), "messages"),
        reject("empty messages", b -> b.put("messages", new JsonArray()), "messages"),
        reject("message not an object", b -> msgs(b).add("hi"), "messages[1]"),
        reject("missing role", b -> msgs(b).add(new JsonObject().put("content", "x")), "messages[1].role"),
        reject("unknown role", b -> msgs(b).add(new JsonObject().put("role", "robot").put("content", "x")),
            "messages[1].role"),
        reject("role not a string", b -> msgs(b).add(new JsonObject().put("role", 1).put("content", "x")),
            "messages[1].role"),
        reject("user without content", b -> msgs(b).add(new JsonObject().put("role", "user")), "messages[1].content"),
        reject("content not string or list", b -> msgs(b).add(new JsonObject().put("role", "user").put("content", 5)),
            "messages[1].content"),
        reject("content part without type", b -> msgs(b).add(new JsonObject().put("role", "user")
            .put("content", new JsonArray().add(new JsonObject().put("text", "x")))), "messages[1].content[0].type"),
        reject("assistant with nothing", b -> msgs(b).add(new JsonObject().put("role", "assistant").putNull("content")),
            "messages[1].content"),
        reject("assistant tool_calls not a list", b -> msgs(b).add(new JsonObject().put("role", "assistant")
            .put("tool_calls", new JsonObject())), "messages[1].tool_calls"),
        reject("assistant tool_calls empty", b -> msgs(b).add(new JsonObject().put("role", "assistant")
            .put("tool_calls", new JsonArray())), "messages[1].tool_calls"),
        reject("assistant tool_call without id", b -> msgs(b).add(new JsonObject().put("role", "assistant")
            .put("tool_calls", new JsonArray().add(new JsonObject().put("function",
                new JsonObject().put("name", "f").put("arguments", "{}"))))), "messages[1].tool_calls[0].id"),
        reject("assistant tool_call arguments as object", b -> msgs(b).add(new JsonObject().put("role", "assistant")
            .put("tool_calls", new JsonArray().add(new JsonObject().put("id", "c").put("function",
                new JsonObject().put("name", "f").put("arguments", new JsonObject()))))),
            "messages[1].tool_calls[0].function"),
        reject("tool without tool_call_id", b -> msgs(b)
            .add(new JsonObject().put("role", "assistant").put("content", "ok"))
            .add(new JsonObject().put("role", "tool").put("content", "x")), "messages[2].tool_call_id"),
        reject("tool with empty tool_call_id", b -> msgs(b)
            .add(new JsonObject().put("role", "assistant").put("content", "ok"))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "").put("content", "x")),
            "messages[2].tool_call_id"),
        reject("tool without content", b -> msgs(b)
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "c1")), "messages[1].content"),
        reject("stream_options without stream", b -> b.put("stream_options", new JsonObject()
            .put("include_usage", true)), "stream_options"),
        reject("stream_options with stream false", b -> b.put("stream", false).put("stream_options",
            new JsonObject().put("include_usage", true)), "stream_options"),
        reject("stream_options not an object", b -> b.put("stream", true).put("stream_options", true),
            "stream_options"),
        reject("include_usage not a boolean", b -> b.put("stream", true).put("stream_options",
            new JsonObject().put("include_usage", "yes")), "stream_options.include_usage"),
        reject("stream not a boolean", b -> b.put("stream", "true"), "stream"),
        reject("temperature above 2", b -> b.put("temperature", 2.01), "temperature"),
        reject("temperature negative", b -> b.put("temperature", -0.1), "temperature"),
        reject("temperature as string", b -> b.put("temperature", "0.5"), "temperature"),
        reject("top_p above 1", b -> b.put("top_p", 1.5), "top_p"),
        reject("presence_penalty below -2", b -> b.put("presence_penalty", -3), "presence_penalty"),
        reject("frequency_penalty above 2", b -> b.put("frequency_penalty", 2.5), "frequency_penalty"),
        reject("n zero", b -> b.put("n", 0), "n"),
        reject("n above 128", b -> b.put("n", 129), "n"),
        reject("n fractional", b -> b.put("n", 1.5), "n"),
        reject("max_tokens fractional", b -> b.put("max_tokens", 1.5), "max_tokens"),
        reject("max_tokens zero", b -> b.put("max_tokens", 0), "max_tokens"),
        reject("max_tokens as string", b -> b.put("max_tokens", "100"), "max_tokens"),
        reject("max_completion_tokens negative", b -> b.put("max_completion_tokens", -1), "max_completion_tokens"),
        reject("top_logprobs above 20", b -> b.put("top_logprobs", 21), "top_logprobs"),
        reject("seed fractional", b -> b.put("seed", 0.5), "seed"),
        reject("logprobs not a boolean", b -> b.put("logprobs", 1), "logprobs"),
        reject("parallel_tool_calls not a boolean", b -> b.put("parallel_tool_calls", "no"), "parallel_tool_calls"),
        reject("stop with 5 entries", b -> b.put("stop", new JsonArray().add("a").add("b").add("c").add("d").add("e")),
            "stop"),
        reject("stop not string or list", b -> b.put("stop", 5), "stop"),
        reject("stop entry not a string", b -> b.put("stop", new JsonArray().add("a").add(1)), "stop[1]"),
        reject("tools not a list", b -> b.put("tools", new JsonObject()), "tools"),
        reject("tool type not function", b -> b.put("tools", new JsonArray().add(new JsonObject().put("type", "web")
            .put("function", new JsonObject().put("name", "f")))), "tools[0].type"),
        reject("tool without function.name", b -> b.put("tools", new JsonArray().add(new JsonObject()
            .put("type", "function").put("function", new JsonObject().put("description", "d")))),
            "tools[0].function.name"),
        reject("second tool with empty name", b -> b.put("tools", new JsonArray()
            .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "f")))
            .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "")))),
            "tools[1].function.name"),
        reject("tool parameters not an object", b -> b.put("tools", new JsonArray().add(new JsonObject()
            .put("type", "function").put("function", new JsonObject().put("name", "f").put("parameters", "{}")))),
            "tools[0].function.parameters"),
        reject("tool_choice unknown string", b -> b.put("tool_choice", "any"), "tool_choice"),
        reject("tool_choice object without function", b -> b.put("tool_choice", new JsonObject()
            .put("type", "function")), "tool_choice"),
        reject("tool_choice number", b -> b.put("tool_choice", 1), "tool_choice"),
        reject("response_format unknown type", b -> b.put("response_format", new JsonObject().put("type", "xml")),
            "response_format.type"),
        reject("response_format without type", b -> b.put("response_format", new JsonObject()),
            "response_format.type"),
        reject("response_format as string", b -> b.put("response_format", "json"), "response_format.type"),
        reject("json_schema format without schema", b -> b.put("response_format", new JsonObject()
            .put("type", "json_schema")), "response_format.json_schema"),
        reject("user not a string", b -> b.put("user", 42), "user"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("rejections")
  void givenInvalidRequest_whenChecked_then400InvalidRequestErrorNamingTheParam(String name, JsonObject body,
      String param) {
    ApiException e = assertThrows(ApiException.class, () -> ChatRequestCheck.check(body));

    ApiError error = e.error();
    assertEquals(400, error.status());
    assertEquals("invalid_request_error", error.type());
    assertEquals(param, error.param());
    assertNotNull(error.message());
    assertFalse(error.message().isBlank());
    assertEquals(error.message(), e.getMessage());
  }

  @Test
  void givenRejectedRequest_whenMapped_thenItIsAClientErrorWithoutUpstreamClass() {
    ApiException e = assertThrows(ApiException.class, () -> ChatRequestCheck.check(minimal().put("n", 0)));

    assertEquals(null, e.error().errorClass());
    assertFalse(e.error().retryUseful());
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static Arguments reject(String name, Consumer<JsonObject> change, String param) {
    JsonObject body = minimal();
    change.accept(body);
    return Arguments.of(name, body, param);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"n\":2,\"seed\":1,"
          + "\"stop\":[\"x\"],\"logprobs\":true,\"response_format\":{\"type\":\"json_object\"},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"auto\","
          + "\"parallel_tool_calls\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:,\"}}]},{\"role\":\"user\",\"content\":"
          + "[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AA==\",\"format\":\"wav\"}}]}]}",
      "{\"model\":\"m\",\"modalities\":[\"text\",\"audio\"],\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"},"
          + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}]}"})
  void theFeaturesReadInTheChecksWalkAreWhatFeaturesOfReads(String json) {
    JsonObject body = new JsonObject(json);

    assertEquals(io.turnout.routes.Features.of(body), ChatRequestCheck.check(body).features());
  }

  private static JsonArray msgs(JsonObject body) {
    return body.getJsonArray("messages");
  }
}
