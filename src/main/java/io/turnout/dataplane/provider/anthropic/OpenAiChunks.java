package io.turnout.dataplane.provider.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds OpenAI {@code chat.completion.chunk} JSONs for one stream; all share id, created and model. */
final class OpenAiChunks {

  private final String id;
  private final long created;
  private final String model;

  OpenAiChunks(String id, long created, String model) {
    this.id = id;
    this.created = created;
    this.model = model;
  }

  /** A chunk for choice 0. */
  Buffer choice(JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("delta", delta)
        .putNull("logprobs")
        .put("finish_reason", finishReason);
    return header().put("choices", new JsonArray().add(choice)).toBuffer();
  }

  /** OpenAI's closing usage chunk: no choices, only usage. */
  Buffer usage(JsonObject usage) {
    return header().put("choices", new JsonArray()).put("usage", usage).toBuffer();
  }

  static JsonObject content(String text) {
    return new JsonObject().put("content", text);
  }

  static JsonObject toolCallStart(int index, String callId, String name) {
    return toolCalls(new JsonObject().put("index", index).put("id", callId).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", "")));
  }

  static JsonObject toolCallArguments(int index, String partialJson) {
    return toolCalls(new JsonObject().put("index", index)
        .put("function", new JsonObject().put("arguments", partialJson)));
  }

  private static JsonObject toolCalls(JsonObject toolCall) {
    return new JsonObject().put("tool_calls", new JsonArray().add(toolCall));
  }

  private JsonObject header() {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model);
  }
}
