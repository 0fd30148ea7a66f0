package io.turnout.dataplane.provider.openai;

import static io.turnout.dataplane.provider.openai.Fixtures.call;
import static io.turnout.dataplane.provider.openai.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenAiCodec.encodeRequest: the client's request goes upstream as sent, except model and usage options. */
class OpenAiCodecEncodeRequestTest {

  private final OpenAiCodec codec = new OpenAiCodec(true, () -> 0L);
  private final OpenAiCodec codecWithoutStreamUsage = new OpenAiCodec(false, () -> 0L);

  private static JsonObject encode(OpenAiCodec codec, JsonObject request, boolean stream, boolean includeUsage) {
    return new JsonObject(codec.encodeRequest(call(request, stream, includeUsage)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // fixture,                   stream, client include_usage
      "request-basic,               false,  false",
      "request-unknown-fields,      false,  false",
      "request-stream,              true,   false",
      "request-stream-options,      true,   false",
      "request-stream-client-usage, true,   true",
  })
  void givenGoldenRequest_whenEncoded_thenUpstreamBodyMatchesGoldenFixture(String fixture, boolean stream,
      boolean includeUsage) {
    JsonObject request = json(fixture + ".json");

    JsonObject upstream = encode(codec, request, stream, includeUsage);

    assertEquals(json(fixture + ".upstream.json"), upstream);
  }

  @Test
  void givenRequest_whenEncoded_thenOnlyModelChangesAndFieldOrderIsKept() {
    JsonObject request = json("request-unknown-fields.json");

    JsonObject upstream = encode(codec, request, false, false);

    assertEquals(new ArrayList<>(request.fieldNames()), new ArrayList<>(upstream.fieldNames()));
    assertEquals("provider-model-id", upstream.getString("model"));
    for (String field : request.fieldNames()) {
      if (!field.equals("model")) {
        assertEquals(request.getValue(field), upstream.getValue(field), field);
      }
    }
  }

  @Test
  void givenIntegerBeyondDoublePrecision_whenEncoded_thenItIsSentExactly() {
    JsonObject upstream = encode(codec, json("request-unknown-fields.json"), false, false);

    assertEquals(9_007_199_254_740_993L, upstream.getLong("seed"));
  }

  @Test
  void givenStreamingRequestWithStreamOptions_whenEncoded_thenClientRequestIsNotMutated() {
    JsonObject request = json("request-stream-options.json");
    JsonObject before = request.copy();
    JsonObject clientOptions = request.getJsonObject("stream_options");

    encode(codec, request, true, false);

    assertEquals(before, request);
    assertEquals("support-summary-v3", request.getString("model"));
    assertFalse(clientOptions.containsKey("include_usage"), "the client's stream_options object was modified");
    assertSame(clientOptions.getMap(), request.getJsonObject("stream_options").getMap());
  }

  @Test
  void givenSameRequest_whenEncodedTwice_thenBothBodiesAreIdentical() {
    // A retry or a fallback reuses the ChatCall's request: the first encoding must leave no trace.
    JsonObject request = json("request-stream.json");

    String first = codec.encodeRequest(call(request, true, false)).toString();
    String second = codec.encodeRequest(call(request, true, false)).toString();

    assertEquals(first, second);
  }

  @Test
  void givenNonStreamingRequest_whenEncoded_thenNoStreamOptionsAreAdded() {
    JsonObject upstream = encode(codec, json("request-basic.json"), false, false);

    assertNull(upstream.getValue("stream_options"));
    assertFalse(upstream.containsKey("stream_options"));
  }

  @Test
  void givenStreamUsageTurnedOffForProvider_whenStreamEncoded_thenStreamOptionsAreNotAdded() {
    JsonObject upstream = encode(codecWithoutStreamUsage, json("request-stream.json"), true, false);

    assertFalse(upstream.containsKey("stream_options"));
  }

  @Test
  void givenStreamUsageTurnedOffForProvider_whenClientSentStreamOptions_thenTheyPassUntouched() {
    JsonObject request = json("request-stream-options.json");

    JsonObject upstream = encode(codecWithoutStreamUsage, request, true, false);

    assertEquals(request.getJsonObject("stream_options"), upstream.getJsonObject("stream_options"));
  }

  @Test
  void givenClientAskedForUsage_whenEncoded_thenItsStreamOptionsAreSentAsIs() {
    JsonObject request = json("request-stream-client-usage.json");

    JsonObject upstream = encode(codec, request, true, true);

    assertEquals(List.of("include_usage", "include_obfuscation"),
        new ArrayList<>(upstream.getJsonObject("stream_options").fieldNames()));
  }

  @Test
  void givenClientSetIncludeUsageFalse_whenStreamEncoded_thenNodeStillAsksForUsage() {
    JsonObject request = json("request-stream.json").put("stream_options", new JsonObject().put("include_usage", false));

    JsonObject upstream = encode(codec, request, true, false);

    assertEquals(new JsonObject().put("include_usage", true), upstream.getJsonObject("stream_options"));
    assertEquals(false, request.getJsonObject("stream_options").getBoolean("include_usage"));
  }
}
