package io.turnout.dataplane.acceptance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What acceptance checks look at in an answer's first choice: the content, the tool calls, the
 * finish reason and a refusal. Built from a whole {@code chat.completion} body, or chunk by chunk
 * from a stream (content and tool-call arguments appended as they arrive).
 */
final class AnswerShape {

  /** One tool call: its function name and arguments text. */
  record ToolCall(String name, String arguments) {}

  private final StringBuilder content = new StringBuilder();
  private final List<String[]> tools = new ArrayList<>();
  private String finishReason;
  private String refusal;

  static AnswerShape ofCompletion(Buffer body) {
    AnswerShape shape = new AnswerShape();
    JsonObject choice = body.toJsonObject().getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message", new JsonObject());
    shape.append(message);
    shape.finishReason = choice.getString("finish_reason");
    return shape;
  }

  /** Adds one streamed chunk ({@code chat.completion.chunk} JSON). */
  void addChunk(Buffer chunkJson) {
    JsonArray choices = chunkJson.toJsonObject().getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      return;
    }
    JsonObject choice = choices.getJsonObject(0);
    if (choice.getInteger("index", 0) != 0) {
      return;
    }
    append(choice.getJsonObject("delta", new JsonObject()));
    if (choice.getString("finish_reason") != null) {
      finishReason = choice.getString("finish_reason");
    }
  }

  private void append(JsonObject message) {
    if (message.getValue("content") instanceof String text) {
      content.append(text);
    }
    if (message.getValue("refusal") instanceof String text && !text.isEmpty()) {
      refusal = refusal == null ? text : refusal + text;
    }
    JsonArray calls = message.getJsonArray("tool_calls");
    if (calls == null) {
      return;
    }
    for (int i = 0; i < calls.size(); i++) {
      JsonObject call = calls.getJsonObject(i);
      int index = call.getInteger("index", i);
      while (tools.size() <= index) {
        tools.add(new String[] {null, ""});
      }
      JsonObject function = call.getJsonObject("function", new JsonObject());
      if (function.getString("name") != null) {
        tools.get(index)[0] = function.getString("name");
      }
      if (function.getString("arguments") != null) {
        tools.get(index)[1] += function.getString("arguments");
      }
    }
  }

  String content() {
    return content.toString();
  }

  List<ToolCall> toolCalls() {
    return tools.stream().map(t -> new ToolCall(t[0], t[1])).toList();
  }

  String finishReason() {
    return finishReason;
  }

  String refusal() {
    return refusal;
  }
}
