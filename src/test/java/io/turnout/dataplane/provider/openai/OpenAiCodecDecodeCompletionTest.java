package io.turnout.dataplane.provider.openai;

import static io.turnout.dataplane.provider.openai.Fixtures.buffer;
import static io.turnout.dataplane.provider.openai.Fixtures.json;
import static io.turnout.dataplane.provider.openai.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.provider.UsageSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAiCodec.decodeCompletion: the strict contract check of a non-streaming answer. */
class OpenAiCodecDecodeCompletionTest {

  private final OpenAiCodec codec = new OpenAiCodec(true, () -> 0L);

  // ---- accepted answers -------------------------------------------------------------------

  @Test
  void givenFullOpenAiResponse_whenDecoded_thenBodyIsRelayedByteForByteWithUsageAndModel() {
    Buffer body = buffer("response-openai-full.json");

    Completion completion = codec.decodeCompletion(body);

    assertArrayEquals(body.getBytes(), completion.body().getBytes());
    assertEquals(new Usage(19, 10, 29, UsageSource.PROVIDER), completion.usage());
    assertEquals("gpt-4.1-2025-04-14", completion.providerModel());
    assertNull(completion.providerRequestId());
  }

  @Test
  void givenCometApiResponseWithEmptyDetailsNoRefusalAndDatedModel_whenDecoded_thenAccepted() {
    Buffer body = buffer("response-cometapi.json");

    Completion completion = codec.decodeCompletion(body);

    assertEquals(text("response-cometapi.json"), completion.body().toString());
    assertEquals(new Usage(21, 8, 29, UsageSource.PROVIDER), completion.usage());
    assertEquals("gpt-4o-mini-2024-07-18", completion.providerModel());
  }

  @Test
  void givenToolCallsWithNullContent_whenDecoded_thenAccepted() {
    Completion completion = codec.decodeCompletion(buffer("response-tool-calls.json"));

    assertEquals(111, completion.usage().totalTokens());
  }

  @Test
  void givenRefusalOnly_whenDecoded_thenAccepted() {
    Completion completion = codec.decodeCompletion(buffer("response-refusal.json"));

    assertEquals(new Usage(12, 9, 21, UsageSource.PROVIDER), completion.usage());
  }

  @Test
  void givenNoUsageAndEmptyContent_whenDecoded_thenAcceptedWithUsageNone() {
    Completion completion = codec.decodeCompletion(buffer("response-no-usage.json"));

    assertEquals(Usage.NONE, completion.usage());
  }

  @Test
  void givenEveryFinishReasonOfTheContract_whenDecoded_thenAccepted() {
    for (String reason : new String[] {"stop", "length", "tool_calls", "content_filter", "function_call"}) {
      JsonObject body = json("response-openai-full.json");
      body.getJsonArray("choices").getJsonObject(0).put("finish_reason", reason);

      codec.decodeCompletion(body.toBuffer());
    }
  }

  @Test
  void givenUsageNull_whenDecoded_thenAcceptedWithUsageNone() {
    JsonObject body = json("response-openai-full.json").putNull("usage");

    assertEquals(Usage.NONE, codec.decodeCompletion(body.toBuffer()).usage());
  }

  // ---- rejected answers -------------------------------------------------------------------

  static Stream<Arguments> brokenBodies() {
    return Stream.of(
        raw("not JSON", "<html><body>Bad gateway</body></html>", "body is not JSON"),
        raw("truncated JSON", "{\"id\":\"chatcmpl-1\",\"object\":", "body is not JSON"),
        raw("JSON array", "[{\"id\":\"chatcmpl-1\"}]", "body is not a JSON object"),
        raw("JSON string", "\"ok\"", "body is not a JSON object"),
        raw("JSON null", "null", "body is not a JSON object"),
        raw("empty body", "", "body is not a JSON object"),
        edit("missing id", b -> b.remove("id"), "missing field: id"),
        edit("blank id", b -> b.put("id", " "), "id is not a non-empty string"),
        edit("numeric id", b -> b.put("id", 7), "id is not a non-empty string"),
        edit("missing object", b -> b.remove("object"), "missing field: object"),
        edit("wrong object", b -> b.put("object", "chat.completion.chunk"), "object is not \"chat.completion\""),
        edit("missing choices", b -> b.remove("choices"), "missing field: choices"),
        edit("choices not a list", b -> b.put("choices", new JsonObject()), "choices is not a list"),
        edit("empty choices", b -> b.put("choices", new JsonArray()), "choices is empty"),
        edit("choice not an object", b -> b.put("choices", new JsonArray().add("x")), "choices[0] is not an object"),
        edit("missing message", b -> choice(b).remove("message"), "missing field: choices[0].message"),
        edit("message not an object", b -> choice(b).put("message", "hi"), "choices[0].message is not an object"),
        edit("message with nothing", b -> choice(b).put("message", new JsonObject().put("role", "assistant")
            .putNull("content").putNull("refusal")), "choices[0].message has neither content, tool_calls nor refusal"),
        edit("message with empty tool_calls only", b -> choice(b).put("message", new JsonObject()
            .put("role", "assistant").put("tool_calls", new JsonArray())),
            "choices[0].message has neither content, tool_calls nor refusal"),
        edit("content not a string", b -> message(b).put("content", new JsonArray()),
            "choices[0].message.content is not a string"),
        edit("refusal not a string", b -> message(b).put("refusal", 1), "choices[0].message.refusal is not a string"),
        edit("tool_calls not a list", b -> message(b).put("tool_calls", new JsonObject()),
            "choices[0].message.tool_calls is not a list"),
        edit("tool_call without id", b -> message(b).put("tool_calls", new JsonArray().add(new JsonObject()
            .put("type", "function").put("function", new JsonObject().put("name", "f").put("arguments", "{}")))),
            "missing field: choices[0].message.tool_calls[0].id"),
        edit("tool_call without function", b -> message(b).put("tool_calls", new JsonArray().add(new JsonObject()
            .put("id", "call_1").put("type", "function"))),
            "missing field: choices[0].message.tool_calls[0].function"),
        edit("tool_call without function.name", b -> message(b).put("tool_calls", new JsonArray().add(new JsonObject()
            .put("id", "call_1").put("function", new JsonObject().put("arguments", "{}")))),
            "missing field: choices[0].message.tool_calls[0].function.name"),
        edit("tool_call without function.arguments", b -> message(b).put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("function", new JsonObject().put("name", "f").put("arguments", "{}")))
            .add(new JsonObject().put("id", "call_2").put("function", new JsonObject().put("name", "g")))),
            "missing field: choices[0].message.tool_calls[1].function.arguments"),
        edit("tool_call arguments as an object", b -> message(b).put("tool_calls", new JsonArray().add(new JsonObject()
            .put("id", "call_1").put("function", new JsonObject().put("name", "f").put("arguments", new JsonObject())))),
            "choices[0].message.tool_calls[0].function.arguments"),
        edit("missing finish_reason", b -> choice(b).remove("finish_reason"), "missing field: choices[0].finish_reason"),
        edit("null finish_reason", b -> choice(b).putNull("finish_reason"), "missing field: choices[0].finish_reason"),
        edit("finish_reason not a string", b -> choice(b).put("finish_reason", 1),
            "choices[0].finish_reason is not a string"),
        edit("unknown finish_reason", b -> choice(b).put("finish_reason", "end_turn"),
            "choices[0].finish_reason has an unknown value"),
        edit("second choice broken", b -> b.getJsonArray("choices").add(choice(b).copy().put("finish_reason", "eos")),
            "choices[1].finish_reason has an unknown value"),
        edit("usage not an object", b -> b.put("usage", 29), "usage is not an object"),
        edit("usage missing total_tokens", b -> usage(b).remove("total_tokens"), "missing field: usage.total_tokens"),
        edit("usage missing prompt_tokens", b -> usage(b).remove("prompt_tokens"), "missing field: usage.prompt_tokens"),
        edit("usage negative count", b -> usage(b).put("prompt_tokens", -1),
            "usage.prompt_tokens is not a non-negative integer"),
        edit("usage fractional count", b -> usage(b).put("completion_tokens", 1.5),
            "usage.completion_tokens is not a non-negative integer"),
        edit("usage integral-looking double", b -> usage(b).put("completion_tokens", 10.0),
            "usage.completion_tokens is not a non-negative integer"),
        edit("usage count as string", b -> usage(b).put("total_tokens", "29"),
            "usage.total_tokens is not a non-negative integer"),
        raw("usage count beyond a long", text("response-openai-full.json")
            .replace("\"total_tokens\": 29", "\"total_tokens\": 18446744073709551645"),
            "usage.total_tokens is not a non-negative integer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenBodies")
  void givenBrokenAnswer_whenDecoded_thenMalformedResponseNamingTheField(String name, Buffer body, String expected) {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> codec.decodeCompletion(body));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains(expected),
        "expected message to contain [" + expected + "] but was [" + failure.getMessage() + "]");
    assertEquals("malformed_response", failure.code());
  }

  @Test
  void givenBrokenAnswer_whenRejected_thenMessageDoesNotQuoteTheCompletionText() {
    JsonObject body = json("response-openai-full.json");
    choice(body).put("finish_reason", "weird");

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> codec.decodeCompletion(body.toBuffer()));

    assertTrue(!failure.getMessage().contains("printer"), failure.getMessage());
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static Arguments raw(String name, String body, String expected) {
    return Arguments.of(name, Buffer.buffer(body), expected);
  }

  private static Arguments edit(String name, Consumer<JsonObject> change, String expected) {
    JsonObject body = json("response-openai-full.json");
    change.accept(body);
    return Arguments.of(name, body.toBuffer(), expected);
  }

  private static JsonObject choice(JsonObject body) {
    return body.getJsonArray("choices").getJsonObject(0);
  }

  private static JsonObject message(JsonObject body) {
    return choice(body).getJsonObject("message");
  }

  private static JsonObject usage(JsonObject body) {
    return body.getJsonObject("usage");
  }
}
