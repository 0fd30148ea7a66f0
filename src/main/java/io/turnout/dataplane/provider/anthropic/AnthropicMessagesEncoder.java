package io.turnout.dataplane.provider.anthropic;

import static io.turnout.dataplane.provider.anthropic.RequestFields.objectAt;
import static io.turnout.dataplane.provider.anthropic.RequestFields.optArray;
import static io.turnout.dataplane.provider.anthropic.RequestFields.optString;
import static io.turnout.dataplane.provider.anthropic.RequestFields.path;
import static io.turnout.dataplane.provider.anthropic.RequestFields.reqString;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI {@code messages} to Anthropic {@code system} + {@code messages}.
 *
 * <p>Anthropic takes only user and assistant turns, which must alternate, and keeps instructions
 * top level. So system and developer messages are hoisted into {@code system} wherever they stood,
 * tool results become user turns, and consecutive turns of one role are merged into one message:
 * the results of several parallel tool calls must all sit in the user turn after the assistant
 * turn that asked for them.
 */
final class AnthropicMessagesEncoder {

  /** The encoded conversation; {@code system} is null when the request had no instructions. */
  record Encoded(String system, JsonArray messages) {}

  private static final String SYSTEM_SEPARATOR = "\n\n";

  private AnthropicMessagesEncoder() {}

  static Encoded encode(JsonObject request) {
    JsonArray messages = optArray(request, "messages", "");
    if (messages == null || messages.isEmpty()) {
      throw AnthropicFailures.invalid("messages", "messages must be a non-empty array");
    }
    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      String at = path("messages", i);
      JsonObject m = objectAt(messages, i, "messages");
      String role = reqString(m, "role", at);
      switch (role) {
        case "system", "developer" -> system.addAll(textParts(m.getValue("content"), path(at, "content")));
        case "user" -> append(turns, userTurn(m, at));
        case "assistant" -> append(turns, new Turn("assistant", assistantBlocks(m, at), null));
        case "tool" -> append(turns, new Turn("user", new JsonArray().add(toolResult(m, at)), null));
        default -> throw AnthropicFailures.unsupported(path(at, "role"),
            "message role '" + role + "' is not supported by this provider");
      }
    }
    List<String> nonEmpty = system.stream().filter(s -> !s.isEmpty()).toList();
    JsonArray out = new JsonArray();
    turns.forEach(t -> out.add(t.toJson()));
    return new Encoded(nonEmpty.isEmpty() ? null : String.join(SYSTEM_SEPARATOR, nonEmpty), out);
  }

  private static Turn userTurn(JsonObject m, String at) {
    Object content = m.getValue("content");
    if (content instanceof String s) {
      return new Turn("user", textBlocks(s), s);
    }
    if (!(content instanceof JsonArray parts)) {
      throw AnthropicFailures.invalid(path(at, "content"), path(at, "content") + " must be a string or an array");
    }
    JsonArray blocks = new JsonArray();
    for (int j = 0; j < parts.size(); j++) {
      String partPath = path(path(at, "content"), j);
      JsonObject part = objectAt(parts, j, path(at, "content"));
      String type = reqString(part, "type", partPath);
      switch (type) {
        case "text" -> blocks.addAll(textBlocks(textOfPart(part, partPath)));
        case "image_url" -> blocks.add(AnthropicImages.imageBlock(part, partPath));
        default -> throw AnthropicFailures.unsupported(path(partPath, "type"),
            "content part type '" + type + "' is not supported by this provider");
      }
    }
    return new Turn("user", blocks, null);
  }

  private static JsonArray assistantBlocks(JsonObject m, String at) {
    JsonArray blocks = new JsonArray();
    Object content = m.getValue("content");
    if (content instanceof String s) {
      blocks.addAll(textBlocks(s));
    } else if (content instanceof JsonArray parts) {
      for (int j = 0; j < parts.size(); j++) {
        String partPath = path(path(at, "content"), j);
        JsonObject part = objectAt(parts, j, path(at, "content"));
        String type = reqString(part, "type", partPath);
        switch (type) {
          case "text" -> blocks.addAll(textBlocks(textOfPart(part, partPath)));
          case "refusal" -> blocks.addAll(textBlocks(reqString(part, "refusal", partPath)));
          default -> throw AnthropicFailures.unsupported(path(partPath, "type"),
              "content part type '" + type + "' is not supported by this provider");
        }
      }
    } else if (content != null) {
      throw AnthropicFailures.invalid(path(at, "content"), path(at, "content") + " must be a string or an array");
    }
    // A refusal-only turn is still part of the conversation; Anthropic has no refusal field for it.
    String refusal = optString(m, "refusal", at);
    if (blocks.isEmpty() && refusal != null) {
      blocks.addAll(textBlocks(refusal));
    }
    JsonArray toolCalls = optArray(m, "tool_calls", at);
    if (toolCalls != null) {
      for (int j = 0; j < toolCalls.size(); j++) {
        blocks.add(toolUse(objectAt(toolCalls, j, path(at, "tool_calls")), path(path(at, "tool_calls"), j)));
      }
    }
    if (blocks.isEmpty()) {
      throw AnthropicFailures.invalid(path(at, "content"), "assistant message " + at
          + " has no content, refusal or tool_calls");
    }
    return blocks;
  }

  private static JsonObject toolUse(JsonObject call, String at) {
    String type = optString(call, "type", at);
    if (type != null && !type.equals("function")) {
      throw AnthropicFailures.unsupported(path(at, "type"), "tool call type '" + type + "' is not supported by this provider");
    }
    String id = reqString(call, "id", at);
    JsonObject function = RequestFields.optObject(call, "function", at);
    if (function == null) {
      throw AnthropicFailures.invalid(path(at, "function"), "missing " + path(at, "function"));
    }
    String fnPath = path(at, "function");
    String name = reqString(function, "name", fnPath);
    return new JsonObject().put("type", "tool_use").put("id", id).put("name", name)
        .put("input", parseArguments(optString(function, "arguments", fnPath), path(fnPath, "arguments")));
  }

  private static JsonObject parseArguments(String arguments, String at) {
    // Blank arguments mean "no arguments" for a parameterless function; Anthropic wants an object.
    if (arguments == null || arguments.isBlank()) {
      return new JsonObject();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(arguments);
    } catch (DecodeException e) {
      throw AnthropicFailures.invalid(at, at + " is not valid JSON");
    }
    if (parsed instanceof JsonObject o) {
      return o;
    }
    throw AnthropicFailures.invalid(at, at + " must be a JSON object");
  }

  private static JsonObject toolResult(JsonObject m, String at) {
    JsonObject block = new JsonObject().put("type", "tool_result")
        .put("tool_use_id", reqString(m, "tool_call_id", at));
    Object content = m.getValue("content");
    if (content instanceof String s) {
      block.put("content", s);
    } else if (content instanceof JsonArray) {
      JsonArray blocks = new JsonArray();
      textParts(content, path(at, "content")).forEach(t -> blocks.addAll(textBlocks(t)));
      block.put("content", blocks);
    } else if (content != null) {
      throw AnthropicFailures.invalid(path(at, "content"), path(at, "content") + " must be a string or an array");
    }
    return block;
  }

  /** Text of a string or of an array of text parts, one entry per part. */
  private static List<String> textParts(Object content, String at) {
    if (content instanceof String s) {
      return List.of(s);
    }
    if (!(content instanceof JsonArray parts)) {
      throw AnthropicFailures.invalid(at, at + " must be a string or an array of text parts");
    }
    List<String> texts = new ArrayList<>();
    for (int j = 0; j < parts.size(); j++) {
      JsonObject part = objectAt(parts, j, at);
      String type = reqString(part, "type", path(at, j));
      if (!type.equals("text")) {
        throw AnthropicFailures.unsupported(path(path(at, j), "type"),
            "content part type '" + type + "' is not allowed here");
      }
      texts.add(textOfPart(part, path(at, j)));
    }
    return texts;
  }

  private static String textOfPart(JsonObject part, String at) {
    String text = optString(part, "text", at);
    if (text == null) {
      throw AnthropicFailures.invalid(path(at, "text"), "missing " + path(at, "text"));
    }
    return text;
  }

  /** Anthropic rejects empty text blocks, so an empty text adds none. */
  private static JsonArray textBlocks(String text) {
    return text.isEmpty() ? new JsonArray() : new JsonArray().add(new JsonObject().put("type", "text").put("text", text));
  }

  private static void append(List<Turn> turns, Turn next) {
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && last.role.equals(next.role)) {
      turns.set(turns.size() - 1, new Turn(last.role, new JsonArray().addAll(last.blocks).addAll(next.blocks), null));
    } else {
      turns.add(next);
    }
  }

  /**
   * One Anthropic message under construction. {@code plainText} keeps a lone string-content user
   * message a string on the wire; merging turns it into blocks.
   */
  private record Turn(String role, JsonArray blocks, String plainText) {
    JsonObject toJson() {
      return new JsonObject().put("role", role).put("content", plainText != null ? plainText : blocks);
    }
  }
}
