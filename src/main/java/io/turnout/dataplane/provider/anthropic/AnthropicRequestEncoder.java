package io.turnout.dataplane.provider.anthropic;

import static io.turnout.dataplane.provider.anthropic.RequestFields.objectAt;
import static io.turnout.dataplane.provider.anthropic.RequestFields.optArray;
import static io.turnout.dataplane.provider.anthropic.RequestFields.optObject;
import static io.turnout.dataplane.provider.anthropic.RequestFields.optString;
import static io.turnout.dataplane.provider.anthropic.RequestFields.path;
import static io.turnout.dataplane.provider.anthropic.RequestFields.reqString;

import io.turnout.dataplane.provider.ChatCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI chat request to an Anthropic Messages request body. Builds a new object and only reads
 * the client's request: the same request is reused by retries and by fallbacks to other contracts.
 * See {@link AnthropicCodec} for what is mapped, dropped and rejected.
 */
final class AnthropicRequestEncoder {

  private final int defaultMaxTokens;

  AnthropicRequestEncoder(int defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
  }

  JsonObject encode(ChatCall call) {
    JsonObject request = call.request();
    rejectUnsupported(request);
    AnthropicMessagesEncoder.Encoded conversation = AnthropicMessagesEncoder.encode(request);
    JsonObject body = new JsonObject()
        .put("model", call.providerModelId())
        .put("max_tokens", maxTokens(request));
    if (conversation.system() != null) {
      body.put("system", conversation.system());
    }
    body.put("messages", conversation.messages());
    copyIfPresent(request, body, "temperature");
    copyIfPresent(request, body, "top_p");
    JsonArray stop = stopSequences(request);
    if (stop != null) {
      body.put("stop_sequences", stop);
    }
    String user = optString(request, "user", "");
    if (user != null) {
      body.put("metadata", new JsonObject().put("user_id", user));
    }
    JsonArray tools = tools(request);
    if (tools != null) {
      body.put("tools", tools);
    }
    JsonObject toolChoice = toolChoice(request, tools != null && !tools.isEmpty());
    if (toolChoice != null) {
      body.put("tool_choice", toolChoice);
    }
    // The call's flag, not the request field, decides: the provider reads the answer in that mode.
    if (call.stream()) {
      body.put("stream", true);
    }
    return body;
  }

  /** Fields whose meaning Anthropic cannot deliver: dropping them would hand the client a different answer. */
  private static void rejectUnsupported(JsonObject request) {
    Object n = request.getValue("n");
    if (n != null && !(n instanceof Number num && num.doubleValue() == 1)) {
      throw AnthropicFailures.unsupported("n", "n other than 1 is not supported by this provider");
    }
    if (Boolean.TRUE.equals(request.getValue("logprobs"))) {
      throw AnthropicFailures.unsupported("logprobs", "logprobs is not supported by this provider");
    }
    JsonObject format = optObject(request, "response_format", "");
    if (format != null && !"text".equals(format.getValue("type"))) {
      throw AnthropicFailures.unsupported("response_format",
          "response_format other than text is not supported by this provider");
    }
    Object audio = request.getValue("audio");
    JsonArray modalities = optArray(request, "modalities", "");
    if (audio != null || (modalities != null && modalities.contains("audio"))) {
      throw AnthropicFailures.unsupported(audio != null ? "audio" : "modalities",
          "audio output is not supported by this provider");
    }
    for (String legacy : new String[] {"functions", "function_call"}) {
      if (request.getValue(legacy) != null) {
        throw AnthropicFailures.unsupported(legacy, legacy + " is not supported by this provider; use tools");
      }
    }
  }

  private long maxTokens(JsonObject request) {
    Long max = RequestFields.optPositiveInteger(request, "max_completion_tokens", "");
    if (max == null) {
      max = RequestFields.optPositiveInteger(request, "max_tokens", "");
    }
    return max != null ? max : defaultMaxTokens;
  }

  private static void copyIfPresent(JsonObject from, JsonObject to, String key) {
    Object v = from.getValue(key);
    if (v != null) {
      to.put(key, v);
    }
  }

  private static JsonArray stopSequences(JsonObject request) {
    Object stop = request.getValue("stop");
    if (stop == null) {
      return null;
    }
    if (stop instanceof String s) {
      return new JsonArray().add(s);
    }
    if (stop instanceof JsonArray a && a.stream().allMatch(String.class::isInstance)) {
      return a.copy();
    }
    throw AnthropicFailures.invalid("stop", "stop must be a string or an array of strings");
  }

  private static JsonArray tools(JsonObject request) {
    JsonArray tools = optArray(request, "tools", "");
    if (tools == null) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < tools.size(); i++) {
      String at = path("tools", i);
      JsonObject tool = objectAt(tools, i, "tools");
      String type = reqString(tool, "type", at);
      if (!type.equals("function")) {
        throw AnthropicFailures.unsupported(path(at, "type"), "tool type '" + type + "' is not supported by this provider");
      }
      JsonObject function = optObject(tool, "function", at);
      if (function == null) {
        throw AnthropicFailures.invalid(path(at, "function"), "missing " + path(at, "function"));
      }
      String fnPath = path(at, "function");
      JsonObject converted = new JsonObject().put("name", reqString(function, "name", fnPath));
      String description = optString(function, "description", fnPath);
      if (description != null) {
        converted.put("description", description);
      }
      JsonObject parameters = optObject(function, "parameters", fnPath);
      // OpenAI allows a function without parameters; Anthropic requires a schema.
      converted.put("input_schema", parameters != null ? parameters.copy()
          : new JsonObject().put("type", "object").put("properties", new JsonObject()));
      out.add(converted);
    }
    return out;
  }

  private static JsonObject toolChoice(JsonObject request, boolean hasTools) {
    Object choice = request.getValue("tool_choice");
    JsonObject out;
    if (choice == null) {
      out = null;
    } else if (choice instanceof String s) {
      out = switch (s) {
        case "auto" -> new JsonObject().put("type", "auto");
        case "required" -> new JsonObject().put("type", "any");
        case "none" -> new JsonObject().put("type", "none");
        default -> throw AnthropicFailures.invalid("tool_choice", "tool_choice '" + s + "' is not a known value");
      };
    } else if (choice instanceof JsonObject o) {
      String type = reqString(o, "type", "tool_choice");
      if (!type.equals("function")) {
        throw AnthropicFailures.unsupported("tool_choice.type",
            "tool_choice type '" + type + "' is not supported by this provider");
      }
      JsonObject function = optObject(o, "function", "tool_choice");
      if (function == null) {
        throw AnthropicFailures.invalid("tool_choice.function", "missing tool_choice.function");
      }
      out = new JsonObject().put("type", "tool").put("name", reqString(function, "name", "tool_choice.function"));
    } else {
      throw AnthropicFailures.invalid("tool_choice", "tool_choice must be a string or an object");
    }
    // Anthropic carries the parallel-call switch inside tool_choice, and only where tools can be called.
    if (Boolean.FALSE.equals(request.getValue("parallel_tool_calls")) && hasTools
        && (out == null || !"none".equals(out.getString("type")))) {
      out = out == null ? new JsonObject().put("type", "auto") : out;
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }
}
