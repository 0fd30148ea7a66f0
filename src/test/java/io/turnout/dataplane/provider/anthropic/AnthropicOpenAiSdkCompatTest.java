package io.turnout.dataplane.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.turnout.dataplane.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the codec emits must be accepted by an official OpenAI SDK, not only by our own fixtures:
 * the SDK's {@code validate()} fails on a missing or mistyped required field.
 */
class AnthropicOpenAiSdkCompatTest {

  private final JsonMapper mapper = ObjectMappers.jsonMapper();
  private final AnthropicCodec codec = Fixtures.codec();

  @Test
  void completionIsAValidSdkChatCompletion() throws Exception {
    Buffer body = codec.decodeCompletion(Buffer.buffer(Fixtures.text("response-tool-use.anthropic.json"))).body();

    ChatCompletion completion = mapper.readValue(body.toString(), ChatCompletion.class).validate();

    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, completion.choices().get(0).finishReason());
    assertEquals(2, completion.choices().get(0).message().toolCalls().orElseThrow().size());
    assertEquals(264, completion.usage().orElseThrow().totalTokens());
  }

  @Test
  void everyStreamChunkIsAValidSdkChunkAndArgumentsReassemble() throws Exception {
    StreamTranslator translator = codec.newStreamTranslator(Fixtures.call(new JsonObject(), true, true));
    List<Buffer> out = new ArrayList<>();
    for (SseText.Event e : SseText.parse(Fixtures.text("stream-tools.sse"))) {
      translator.onEvent(e.event(), e.data(), out::add);
    }

    StringBuilder firstToolArguments = new StringBuilder();
    for (Buffer chunkJson : out) {
      ChatCompletionChunk chunk = mapper.readValue(chunkJson.toString(), ChatCompletionChunk.class).validate();
      chunk.choices().stream()
          .flatMap(c -> c.delta().toolCalls().orElse(List.of()).stream())
          .filter(t -> t.index() == 0)
          .forEach(t -> t.function().flatMap(f -> f.arguments()).ifPresent(firstToolArguments::append));
    }

    assertEquals(new JsonObject().put("city", "Paris"), new JsonObject(firstToolArguments.toString()));
    assertTrue(mapper.readValue(out.get(out.size() - 1).toString(), ChatCompletionChunk.class).usage().isPresent());
  }
}
