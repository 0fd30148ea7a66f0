package io.turnout.dataplane.provider.anthropic;

import static io.turnout.dataplane.provider.anthropic.ResponseFields.nonBlank;
import static io.turnout.dataplane.provider.anthropic.ResponseFields.object;
import static io.turnout.dataplane.provider.anthropic.ResponseFields.string;

import io.turnout.dataplane.provider.StreamTranslator;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Anthropic stream events to OpenAI {@code chat.completion.chunk}s for one stream.
 *
 * <p>Strict about order, because an out-of-order stream is a truncated or corrupted answer that
 * must fail (and fail over) instead of reaching the client as a clean one: content before
 * {@code message_start}, a delta for a block never started, or {@code message_stop} without a
 * stop reason are contract breaks. Unknown event names, unknown delta types and block types we do
 * not forward (e.g. {@code thinking}) are skipped so that new provider features do not break us.
 */
final class AnthropicStreamTranslator implements StreamTranslator {

  private enum Kind { TEXT, TOOL_USE, SKIPPED }

  private static final class Block {
    final Kind kind;
    final int toolIndex;
    boolean closed;

    Block(Kind kind, int toolIndex) {
      this.kind = kind;
      this.toolIndex = toolIndex;
    }
  }

  private final long created;
  private final boolean includeUsage;
  private final String requestedModel;
  private final Map<Integer, Block> blocks = new HashMap<>();

  /** Null until message_start; its presence is what "the message has started" means. */
  private OpenAiChunks chunks;
  private String model;
  private String finishReason;
  private int toolCalls;
  private boolean terminated;
  private boolean hasUsage;
  private long promptTokens;
  private long outputTokens;

  /**
   * @param created the {@code created} value every chunk carries, read once from the codec's clock
   * @param includeUsage whether to end with OpenAI's usage-only chunk
   * @param requestedModel the model to name in chunks if {@code message_start} names none
   */
  AnthropicStreamTranslator(long created, boolean includeUsage, String requestedModel) {
    this.created = created;
    this.includeUsage = includeUsage;
    this.requestedModel = requestedModel;
  }

  @Override
  public boolean onEvent(String event, String data, Consumer<Buffer> out) {
    if (terminated) {
      throw AnthropicFailures.malformed("event after message_stop");
    }
    JsonObject json = parse(data);
    // Anthropic names every event; the data's own type is the fallback for a relay that drops names.
    String name = event != null ? event : (json.getValue("type") instanceof String t ? t : "");
    switch (name) {
      case "ping":
        return false;
      case "error":
        throw AnthropicErrors.fromStreamEvent(json);
      case "message_start":
        onMessageStart(json, out);
        return false;
      case "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop":
        if (chunks == null) {
          throw AnthropicFailures.malformed(name + " before message_start");
        }
        return onMessageEvent(name, json, out);
      default:
        return false;
    }
  }

  @Override
  public Usage usage() {
    return hasUsage ? Usage.provider(promptTokens, outputTokens) : Usage.NONE;
  }

  @Override
  public String providerModel() {
    return model;
  }

  private boolean onMessageEvent(String name, JsonObject json, Consumer<Buffer> out) {
    switch (name) {
      case "content_block_start" -> onBlockStart(json, out);
      case "content_block_delta" -> onBlockDelta(json, out);
      case "content_block_stop" -> openBlock(json, name).closed = true;
      case "message_delta" -> onMessageDelta(json, out);
      default -> {
        onMessageStop(out);
        return true;
      }
    }
    return false;
  }

  private void onMessageStart(JsonObject json, Consumer<Buffer> out) {
    if (chunks != null) {
      throw AnthropicFailures.malformed("duplicate message_start");
    }
    JsonObject message = object(json, "message", "message");
    String id = nonBlank(message, "id", "message.id");
    model = message.getValue("model") instanceof String m ? m : null;
    if (message.getValue("usage") != null) {
      readUsage(object(message, "usage", "message.usage"), "message.usage");
    }
    chunks = new OpenAiChunks(id, created, model != null ? model : requestedModel);
    out.accept(chunks.choice(new JsonObject().put("role", "assistant").put("content", ""), null));
  }

  private void onBlockStart(JsonObject json, Consumer<Buffer> out) {
    int index = index(json);
    if (blocks.containsKey(index)) {
      throw AnthropicFailures.malformed("content_block_start for block index " + index + " already started");
    }
    JsonObject block = object(json, "content_block", "content_block");
    Object type = block.getValue("type");
    if ("text".equals(type)) {
      blocks.put(index, new Block(Kind.TEXT, -1));
      if (block.getValue("text") instanceof String text && !text.isEmpty()) {
        out.accept(chunks.choice(OpenAiChunks.content(text), null));
      }
    } else if ("tool_use".equals(type)) {
      String callId = nonBlank(block, "id", "content_block.id");
      String fnName = nonBlank(block, "name", "content_block.name");
      int toolIndex = toolCalls++;
      blocks.put(index, new Block(Kind.TOOL_USE, toolIndex));
      out.accept(chunks.choice(OpenAiChunks.toolCallStart(toolIndex, callId, fnName), null));
    } else {
      blocks.put(index, new Block(Kind.SKIPPED, -1));
    }
  }

  private void onBlockDelta(JsonObject json, Consumer<Buffer> out) {
    Block block = openBlock(json, "content_block_delta");
    JsonObject delta = object(json, "delta", "delta");
    if (block.kind == Kind.SKIPPED) {
      return;
    }
    Object type = delta.getValue("type");
    if ("text_delta".equals(type)) {
      requireKind(block, Kind.TEXT, "text_delta");
      String text = string(delta, "text", "delta.text");
      if (!text.isEmpty()) {
        out.accept(chunks.choice(OpenAiChunks.content(text), null));
      }
    } else if ("input_json_delta".equals(type)) {
      requireKind(block, Kind.TOOL_USE, "input_json_delta");
      String partial = string(delta, "partial_json", "delta.partial_json");
      if (!partial.isEmpty()) {
        out.accept(chunks.choice(OpenAiChunks.toolCallArguments(block.toolIndex, partial), null));
      }
    }
  }

  private void onMessageDelta(JsonObject json, Consumer<Buffer> out) {
    JsonObject delta = object(json, "delta", "delta");
    String mapped = AnthropicResponseDecoder.finishReason(delta.getValue("stop_reason"), "delta.stop_reason");
    if (json.getValue("usage") != null) {
      readUsage(object(json, "usage", "usage"), "usage");
    }
    // OpenAI clients expect one finish_reason per choice; a repeated message_delta only updates usage.
    if (finishReason == null) {
      finishReason = mapped;
      out.accept(chunks.choice(new JsonObject(), finishReason));
    }
  }

  private void onMessageStop(Consumer<Buffer> out) {
    if (finishReason == null) {
      throw AnthropicFailures.malformed("message_stop before message_delta: no stop_reason");
    }
    terminated = true;
    // Without numbers from the provider a zero usage chunk would misreport the cost; send none.
    if (includeUsage && hasUsage) {
      out.accept(chunks.usage(usage().toJson()));
    }
  }

  /** message_delta usage is cumulative, so later numbers replace earlier ones. */
  private void readUsage(JsonObject usage, String path) {
    TokenCounts counts = TokenCounts.read(usage, path, false);
    if (counts.hasPrompt()) {
      promptTokens = counts.promptTokens();
      hasUsage = true;
    }
    if (counts.hasOutput()) {
      outputTokens = counts.outputTokens();
      hasUsage = true;
    }
  }

  private Block openBlock(JsonObject json, String event) {
    int index = index(json);
    Block block = blocks.get(index);
    if (block == null) {
      throw AnthropicFailures.malformed(event + " for block index " + index + " never started");
    }
    if (block.closed) {
      throw AnthropicFailures.malformed(event + " for block index " + index + " already stopped");
    }
    return block;
  }

  private static void requireKind(Block block, Kind kind, String deltaType) {
    if (block.kind != kind) {
      throw AnthropicFailures.malformed(deltaType + " for a block of another type");
    }
  }

  private static int index(JsonObject json) {
    Object v = json.getValue("index");
    if (v == null) {
      throw AnthropicFailures.missingField("index");
    }
    if (!(v instanceof Integer i) || i < 0) {
      throw AnthropicFailures.invalidField("index");
    }
    return i;
  }

  private static JsonObject parse(String data) {
    try {
      if (data != null && Json.decodeValue(data) instanceof JsonObject o) {
        return o;
      }
    } catch (RuntimeException notJson) {
      // reported below, without echoing the data: it may hold completion text
    }
    throw AnthropicFailures.malformed("stream event data is not a JSON object");
  }
}
