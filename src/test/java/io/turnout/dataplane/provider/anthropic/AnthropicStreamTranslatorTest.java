package io.turnout.dataplane.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamTranslator;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AnthropicCodec#newStreamTranslator}: Anthropic stream events to OpenAI chunks. */
class AnthropicStreamTranslatorTest {

  private static final String MESSAGE_START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
      + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\",\"content\":[],"
      + "\"stop_reason\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}";
  private static final String TEXT_START =
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
  private static final String MESSAGE_DELTA = "{\"type\":\"message_delta\","
      + "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}";

  private final JsonArray chunks = new JsonArray();

  @Test
  void translatesToolStreamWithUsageChunk() {
    StreamTranslator translator = translator(true);

    boolean terminal = replay(translator, "stream-tools.sse");

    assertTrue(terminal);
    assertEquals(Fixtures.array("stream-tools.chunks.json"), chunks);
    assertEquals(Usage.provider(572, 89), translator.usage());
    assertEquals(Fixtures.MODEL, translator.providerModel());
  }

  @Test
  void withoutIncludeUsageTheUsageChunkIsOmittedButUsageIsStillKnown() {
    StreamTranslator translator = translator(false);

    replay(translator, "stream-tools.sse");

    JsonArray expected = Fixtures.array("stream-tools.chunks.json");
    expected.remove(expected.size() - 1);
    assertEquals(expected, chunks);
    assertEquals(Usage.provider(572, 89), translator.usage());
  }

  @Test
  void translatesTextStream() {
    StreamTranslator translator = translator(false);

    assertTrue(replay(translator, "stream-text.sse"));

    assertEquals(Fixtures.array("stream-text.chunks.json"), chunks);
    assertEquals(Usage.provider(25, 15), translator.usage());
  }

  @Test
  void onlyMessageStopIsTerminal() {
    StreamTranslator translator = translator(false);

    assertFalse(feed(translator, "message_start", MESSAGE_START));
    assertFalse(feed(translator, "message_delta", MESSAGE_DELTA));
    assertTrue(feed(translator, "message_stop", "{\"type\":\"message_stop\"}"));
  }

  @ParameterizedTest
  @CsvSource({
      "overloaded_error, UPSTREAM_5XX",
      "api_error, UPSTREAM_5XX",
      "rate_limit_error, RATE_LIMITED",
      "invalid_request_error, VALIDATION",
      "authentication_error, AUTH",
      "permission_error, AUTH",
      "brand_new_error, UPSTREAM_5XX"})
  void errorEventMidStreamThrowsClassifiedFailure(String type, ErrorClass expected) {
    StreamTranslator translator = translator(true);
    feed(translator, "message_start", MESSAGE_START);
    feed(translator, "content_block_start", TEXT_START);
    feed(translator, "content_block_delta", textDelta(0, "Hel"));
    int relayed = chunks.size();

    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> feed(translator, "error",
        "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"Overloaded\"}}"));

    assertEquals(expected, failure.errorClass());
    assertEquals(type, failure.code());
    assertEquals("Overloaded", failure.getMessage());
    assertEquals(relayed, chunks.size());
  }

  @Test
  void errorEventBeforeMessageStartIsStillTheProviderError() {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> feed(translator(false), "error",
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

    assertEquals(ErrorClass.UPSTREAM_5XX, failure.errorClass());
  }

  @Test
  void contentBeforeMessageStartIsMalformed() {
    assertMalformed(translator(false), "content_block_start", TEXT_START, "before message_start");
  }

  @Test
  void messageStopWithoutMessageDeltaIsMalformed() {
    StreamTranslator translator = translator(true);
    feed(translator, "message_start", MESSAGE_START);
    feed(translator, "content_block_start", TEXT_START);
    feed(translator, "content_block_delta", textDelta(0, "Hi"));
    feed(translator, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");

    assertMalformed(translator, "message_stop", "{\"type\":\"message_stop\"}", "no stop_reason");
  }

  @Test
  void deltaForBlockNeverStartedIsMalformed() {
    StreamTranslator translator = translator(false);
    feed(translator, "message_start", MESSAGE_START);

    assertMalformed(translator, "content_block_delta", textDelta(3, "Hi"), "never started");
  }

  @Test
  void deltaAfterBlockStopIsMalformed() {
    StreamTranslator translator = translator(false);
    feed(translator, "message_start", MESSAGE_START);
    feed(translator, "content_block_start", TEXT_START);
    feed(translator, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");

    assertMalformed(translator, "content_block_delta", textDelta(0, "late"), "already stopped");
  }

  @Test
  void dataThatIsNotJsonIsMalformed() {
    StreamTranslator translator = translator(false);
    feed(translator, "message_start", MESSAGE_START);

    assertMalformed(translator, "content_block_delta", "{\"type\":\"content_block_delta\",\"ind", "not a JSON object");
  }

  @Test
  void unknownStopReasonIsMalformed() {
    StreamTranslator translator = translator(false);
    feed(translator, "message_start", MESSAGE_START);

    assertMalformed(translator, "message_delta", MESSAGE_DELTA.replace("end_turn", "took_a_nap"),
        "invalid field: delta.stop_reason");
  }

  @Test
  void unknownEventsAndPingsAreIgnoredAnywhere() {
    StreamTranslator translator = translator(false);

    assertFalse(feed(translator, "ping", "{\"type\":\"ping\"}"));
    assertFalse(feed(translator, "message_annotation", "{\"type\":\"message_annotation\",\"x\":1}"));
    feed(translator, "message_start", MESSAGE_START);
    int afterStart = chunks.size();
    assertFalse(feed(translator, "ping", "{\"type\":\"ping\"}"));
    assertFalse(feed(translator, "content_block_annotation", "{\"type\":\"content_block_annotation\",\"index\":9}"));

    assertEquals(1, afterStart);
    assertEquals(afterStart, chunks.size());
  }

  @Test
  void eventNameFallsBackToTheDataType() {
    StreamTranslator translator = translator(false);

    feed(translator, null, MESSAGE_START);

    assertEquals("msg_1", chunks.getJsonObject(0).getString("id"));
  }

  @Test
  void usageIsNoneUntilTheProviderGivesNumbers() {
    StreamTranslator translator = translator(true);
    assertEquals(Usage.NONE, translator.usage());
    assertNull(translator.providerModel());

    feed(translator, "message_start", MESSAGE_START.replace(",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}", ""));
    feed(translator, "message_delta", MESSAGE_DELTA.replace(",\"usage\":{\"output_tokens\":5}", ""));
    feed(translator, "message_stop", "{\"type\":\"message_stop\"}");

    assertEquals(Usage.NONE, translator.usage());
    assertEquals("claude-haiku-4-5-20251001", translator.providerModel());
    // No numbers from the provider: no invented zero-usage chunk either.
    assertEquals(2, chunks.size());
  }

  // ---- helpers ----

  private StreamTranslator translator(boolean includeUsage) {
    return Fixtures.codec().newStreamTranslator(Fixtures.call(new JsonObject(), true, includeUsage));
  }

  private boolean replay(StreamTranslator translator, String fixture) {
    List<SseText.Event> events = SseText.parse(Fixtures.text(fixture));
    boolean terminal = false;
    for (SseText.Event e : events) {
      assertFalse(terminal, "event after the terminal one in " + fixture);
      terminal = feed(translator, e.event(), e.data());
    }
    return terminal;
  }

  private boolean feed(StreamTranslator translator, String event, String data) {
    return translator.onEvent(event, data, (Buffer chunk) -> chunks.add(new JsonObject(chunk)));
  }

  private void assertMalformed(StreamTranslator translator, String event, String data, String messagePart) {
    ProviderFailure failure = assertThrows(ProviderFailure.class, () -> feed(translator, event, data));
    assertEquals(ErrorClass.MALFORMED_RESPONSE, failure.errorClass());
    assertTrue(failure.getMessage().contains(messagePart), failure.getMessage());
  }

  private static String textDelta(int index, String text) {
    return new JsonObject().put("type", "content_block_delta").put("index", index)
        .put("delta", new JsonObject().put("type", "text_delta").put("text", text)).encode();
  }
}
