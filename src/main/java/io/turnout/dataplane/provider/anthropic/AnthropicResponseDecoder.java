package io.turnout.dataplane.provider.anthropic;

import static io.turnout.dataplane.provider.anthropic.ResponseFields.nonBlank;
import static io.turnout.dataplane.provider.anthropic.ResponseFields.string;

import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages response body to an OpenAI {@code chat.completion}. Strict on the fields a
 * client relies on (a 200 that lies about them must fail over, not reach the client), tolerant of
 * anything extra: unknown fields and block types such as {@code thinking} are skipped.
 */
final class AnthropicResponseDecoder {

  private AnthropicResponseDecoder() {}

  static Completion decode(Buffer body, long created) {
    JsonObject msg = parseObject(body);
    if (!"message".equals(msg.getValue("type"))) {
      throw msg.getValue("type") == null ? AnthropicFailures.missingField("type") : AnthropicFailures.invalidField("type");
    }
    String id = nonBlank(msg, "id", "id");
    if (!(msg.getValue("content") instanceof JsonArray content)) {
      throw msg.getValue("content") == null
          ? AnthropicFailures.missingField("content") : AnthropicFailures.invalidField("content");
    }
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    JsonArray toolCalls = new JsonArray();
    for (int i = 0; i < content.size(); i++) {
      String at = "content[" + i + "]";
      if (!(content.getValue(i) instanceof JsonObject block)) {
        throw AnthropicFailures.invalidField(at);
      }
      String type = nonBlank(block, "type", at + ".type");
      if (type.equals("text")) {
        text.append(string(block, "text", at + ".text"));
        hasText = true;
      } else if (type.equals("tool_use")) {
        toolCalls.add(toolCall(block, at));
      }
    }
    String finishReason = finishReason(msg.getValue("stop_reason"), "stop_reason");
    Usage usage = usage(msg.getValue("usage"));
    Object model = msg.getValue("model") instanceof String m ? m : null;

    JsonObject message = new JsonObject()
        .put("role", "assistant")
        .put("content", hasText ? text.toString() : null)
        .putNull("refusal");
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    JsonObject out = new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", message)
            .putNull("logprobs")
            .put("finish_reason", finishReason)));
    if (usage != Usage.NONE) {
      out.put("usage", usage.toJson());
    }
    return new Completion(out.toBuffer(), usage, (String) model, null);
  }

  /** The OpenAI finish reason for a stop reason found at {@code field}; absent or unknown is a contract break. */
  static String finishReason(Object stopReason, String field) {
    if (stopReason == null) {
      throw AnthropicFailures.missingField(field);
    }
    String mapped = stopReason instanceof String s ? StopReasons.toFinishReason(s) : null;
    if (mapped == null) {
      throw AnthropicFailures.invalidField(field);
    }
    return mapped;
  }

  private static JsonObject toolCall(JsonObject block, String at) {
    String id = nonBlank(block, "id", at + ".id");
    String name = nonBlank(block, "name", at + ".name");
    JsonObject input = ResponseFields.object(block, "input", at + ".input");
    return new JsonObject()
        .put("id", id)
        .put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", input.encode()));
  }

  private static Usage usage(Object value) {
    if (value == null) {
      return Usage.NONE;
    }
    if (!(value instanceof JsonObject usage)) {
      throw AnthropicFailures.invalidField("usage");
    }
    TokenCounts counts = TokenCounts.read(usage, "usage", true);
    return Usage.provider(counts.promptTokens(), counts.outputTokens());
  }

  private static JsonObject parseObject(Buffer body) {
    Object parsed;
    try {
      parsed = body == null ? null : body.toJsonValue();
    } catch (RuntimeException notJson) {
      parsed = null;
    }
    if (parsed instanceof JsonObject o) {
      return o;
    }
    throw AnthropicFailures.malformed("response body is not a JSON object");
  }
}
