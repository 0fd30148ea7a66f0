package io.turnout.dataplane.provider.openai;

import static io.turnout.dataplane.provider.openai.Fixtures.bytes;
import static io.turnout.dataplane.provider.openai.Fixtures.call;
import static io.turnout.dataplane.provider.openai.Fixtures.json;
import static io.turnout.dataplane.provider.openai.Fixtures.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamTranslator;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.provider.UsageSource;
import io.turnout.dataplane.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenAI stream translator: strict per-chunk checks, exact relay, usage kept for the node. */
class OpenAiStreamTranslatorTest {

  private static final String CHUNK_PREFIX = "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1,\"model\":\"m-2025\",\"choices\":";
  private static final String CONTENT_CHUNK = CHUNK_PREFIX
      + "[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}";
  private static final String FINAL_CHUNK = CHUNK_PREFIX
      + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
  private static final String USAGE_CHUNK = CHUNK_PREFIX
      + "[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

  private final OpenAiCodec codec = new OpenAiCodec(true, () -> 0L);
  private final List<String> relayed = new ArrayList<>();
  private final List<Boolean> terminal = new ArrayList<>();

  private StreamTranslator translator(boolean includeUsage) {
    return codec.newStreamTranslator(call(json("request-stream.json"), true, includeUsage));
  }

  /**
   * Feeds a whole SSE fixture through the real parser, one byte at a time to stress event
   * boundaries, as the node does: each event's bytes to the translator.
   */
  private void replay(StreamTranslator translator, String sseFixture) {
    SseParser parser = SseParser.ofBytes((event, data) ->
        terminal.add(translator.onEvent(event, data, chunk -> relayed.add(chunk.toString(StandardCharsets.UTF_8)))));
    for (byte b : bytes(sseFixture)) {
      parser.feed(Buffer.buffer(new byte[] {b}));
    }
    assertFalse(parser.hasPendingEvent(), "fixture must end with a blank line");
  }

  private boolean send(StreamTranslator translator, String event, String data) {
    return translator.onEvent(event, data, chunk -> relayed.add(chunk.toString(StandardCharsets.UTF_8)));
  }

  // ---- golden streams ---------------------------------------------------------------------

  @Test
  void givenNormalStreamWithoutClientUsage_whenTranslated_thenChunksAreRelayedAsExactBytesWithoutUsageChunk() {
    StreamTranslator translator = translator(false);

    replay(translator, "stream-basic.sse");

    assertEquals(lines("stream-basic.relayed.jsonl"), relayed);
    assertEquals(List.of(false, false, false, false, false, true), terminal, "only [DONE] is terminal");
    assertEquals(new Usage(19, 6, 25, UsageSource.PROVIDER), translator.usage(), "usage kept for the node");
    assertEquals("gpt-4.1-2025-04-14", translator.providerModel());
  }

  @Test
  void givenNormalStreamWithClientUsage_whenTranslated_thenUsageChunkIsRelayedToo() {
    StreamTranslator translator = translator(true);

    replay(translator, "stream-basic.sse");

    assertEquals(lines("stream-basic.relayed-with-usage.jsonl"), relayed);
    assertEquals(new Usage(19, 6, 25, UsageSource.PROVIDER), translator.usage());
  }

  @Test
  void givenCometApiStreamWithCrLfCommentsAndNoUsage_whenTranslated_thenRelayedWithUsageNone() {
    StreamTranslator translator = translator(true);

    replay(translator, "stream-cometapi.sse");

    assertEquals(lines("stream-cometapi.relayed.jsonl"), relayed);
    assertEquals(Usage.NONE, translator.usage());
    assertEquals("gpt-4o-mini-2024-07-18", translator.providerModel());
    assertTrue(terminal.get(terminal.size() - 1));
  }

  @Test
  void givenToolCallStream_whenTranslated_thenEveryDeltaIsRelayed() {
    StreamTranslator translator = translator(false);

    replay(translator, "stream-tool-calls.sse");

    assertEquals(lines("stream-tool-calls.relayed.jsonl"), relayed);
    assertEquals(111, translator.usage().totalTokens());
  }

  @Test
  void givenChunkWithOddWhitespace_whenRelayed_thenItIsNotReserialised() {
    StreamTranslator translator = translator(false);
    String spaced = "{ \"id\" : \"chatcmpl-x\" , \"object\" : \"chat.completion.chunk\" , \"choices\" : "
        + "[ { \"index\" : 0 , \"delta\" : { \"content\" : \"\\u00e9\" } , \"finish_reason\" : null } ] }";

    send(translator, null, spaced);

    assertEquals(List.of(spaced), relayed);
  }

  // ---- usage ------------------------------------------------------------------------------

  @Test
  void givenUsageOnlyChunkAndClientDidNotAsk_whenTranslated_thenNotRelayedButUsageCaptured() {
    StreamTranslator translator = translator(false);

    send(translator, null, FINAL_CHUNK);
    send(translator, null, USAGE_CHUNK);

    assertEquals(List.of(FINAL_CHUNK), relayed);
    assertEquals(new Usage(3, 2, 5, UsageSource.PROVIDER), translator.usage());
  }

  @Test
  void givenUsageOnlyChunkAndClientAsked_whenTranslated_thenRelayedAndUsageCaptured() {
    StreamTranslator translator = translator(true);

    send(translator, null, FINAL_CHUNK);
    send(translator, null, USAGE_CHUNK);

    assertEquals(List.of(FINAL_CHUNK, USAGE_CHUNK), relayed);
    assertEquals(new Usage(3, 2, 5, UsageSource.PROVIDER), translator.usage());
  }

  @Test
  void givenNoChunksYet_whenAsked_thenUsageIsNoneAndModelUnknown() {
    StreamTranslator translator = translator(false);

    assertEquals(Usage.NONE, translator.usage());
    assertNull(translator.providerModel());
  }

  @Test
  void givenUsageChunkWithNegativeCount_whenTranslated_thenMalformed() {
    StreamTranslator translator = translator(false);

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator, null,
        CHUNK_PREFIX + "[],\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":2,\"total_tokens\":5}}"));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains("usage.prompt_tokens"), failure.getMessage());
  }

  // ---- termination ------------------------------------------------------------------------

  @Test
  void givenDoneAfterFinishReason_whenTranslated_thenTerminalAndNotRelayed() {
    StreamTranslator translator = translator(false);
    send(translator, null, CONTENT_CHUNK);
    send(translator, null, FINAL_CHUNK);

    assertTrue(send(translator, null, "[DONE]"));

    assertEquals(List.of(CONTENT_CHUNK, FINAL_CHUNK), relayed);
  }

  @Test
  void givenDoneBeforeAnyFinishReason_whenTranslated_thenMalformed() {
    StreamTranslator translator = translator(false);
    send(translator, null, CONTENT_CHUNK);

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator, null, "[DONE]"));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains("[DONE]"), failure.getMessage());
  }

  @Test
  void givenDoneAsVeryFirstEvent_whenTranslated_thenMalformed() {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator(false), null, "[DONE]"));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
  }

  // ---- broken chunks ----------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not JSON            | data: oops",
      "truncated JSON      | {\"id\":\"chatcmpl-x\",\"object\":",
      "JSON array          | [1,2]",
      "JSON null           | null",
      "JSON string         | \"[DONE]\"",
  })
  void givenNonJsonObjectData_whenTranslated_thenMalformed(String name, String data) {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator(false), null, data));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains("not a JSON object"), failure.getMessage());
    assertTrue(relayed.isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "wrong object       | {\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[]}                                  | object",
      "missing id         | {\"object\":\"chat.completion.chunk\",\"choices\":[]}                                         | id",
      "missing choices    | {\"id\":\"c\",\"object\":\"chat.completion.chunk\"}                                           | choices",
      "delta not object   | {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":\"x\"}]}          | choices[0].delta",
      "unknown finish     | {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{},\"finish_reason\":\"eos\"}]} | choices[0].finish_reason",
  })
  void givenChunkBreakingTheContract_whenTranslated_thenMalformedNamingTheField(String name, String data,
      String field) {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator(false), null, data));

    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains(field), failure.getMessage());
    assertTrue(relayed.isEmpty(), "a broken chunk must never reach the client");
  }

  // ---- errors inside the stream -----------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "server_error    | {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}                  | UPSTREAM_5XX",
      "rate_limit type | {\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_exceeded\",\"param\":null,\"code\":null}}                         | RATE_LIMITED",
      "rate_limit code | {\"error\":{\"message\":\"Slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}                                  | RATE_LIMITED",
      "content_filter  | {\"error\":{\"message\":\"Filtered\",\"type\":\"invalid_request_error\",\"code\":\"content_filter\"}}                           | CONTENT_POLICY",
      "invalid_request | {\"error\":{\"message\":\"Bad\",\"type\":\"invalid_request_error\",\"code\":\"\"}}                                              | VALIDATION",
      "auth            | {\"error\":{\"message\":\"Nope\",\"type\":\"authentication_error\"}}                                                           | AUTH",
      "bare error      | {\"error\":{}}                                                                                                               | UPSTREAM_5XX",
  })
  void givenChunkWithErrorKey_whenTranslated_thenClassifiedFailure(String name, String data, ErrorClass expected) {
    StreamTranslator translator = translator(false);
    send(translator, null, CONTENT_CHUNK);

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator, null, data));

    assertEquals(expected, failure.errorClass());
    assertTrue(failure.getMessage().startsWith("provider stream error"), failure.getMessage());
    assertEquals(List.of(CONTENT_CHUNK), relayed, "the error chunk itself is not relayed");
  }

  @Test
  void givenErrorChunkOnAFullChunk_whenTranslated_thenTheErrorWinsOverTheChunkShape() {
    // Some providers put "error" next to an otherwise valid chunk.
    String data = CHUNK_PREFIX + "[],\"error\":{\"message\":\"x\",\"type\":\"server_error\"}}";

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator(false), null, data));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
  }

  @Test
  void givenSseErrorEventWithoutErrorKey_whenTranslated_thenUpstream5xx() {
    ProviderFailure failure = assertThrows(ProviderFailure.class,
        () -> send(translator(false), "error", "{\"message\":\"overloaded\"}"));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertEquals("stream_error", failure.code());
  }

  @Test
  void givenSseErrorEventWithNonJsonData_whenTranslated_thenUpstream5xxNotMalformed() {
    ProviderFailure failure = assertThrows(ProviderFailure.class,
        () -> send(translator(false), "error", "upstream overloaded"));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
    assertEquals("stream_error", failure.code());
  }

  @Test
  void givenVeryLongStreamErrorMessage_whenTranslated_thenMessageIsTruncated() {
    String data = "{\"error\":{\"type\":\"server_error\",\"message\":\"" + "y".repeat(4_000) + "\"}}";

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> send(translator(false), null, data));

    assertTrue(failure.getMessage().length() < 600, "length " + failure.getMessage().length());
  }
}
