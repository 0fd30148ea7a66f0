package io.turnout.dataplane.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Validates a client's chat request before anything goes upstream, the way OpenAI would, so a bad
 * request costs a 400 with the {@code param} path instead of an upstream round trip. Only fields
 * the contract defines are checked; unknown fields pass through untouched.
 */
public final class ChatRequestCheck {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
  private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");

  private ChatRequestCheck() {}

  /** Checks the request, reading its features in the same walk; throws a 400 {@link ApiException} naming the param. */
  public static ChatRequest check(JsonObject body) {
    String model = requiredString(body, "model");
    java.util.EnumSet<io.turnout.routes.Feature> features = io.turnout.routes.Features.ofFields(body);
    checkMessages(body.getValue("messages"), features);
    boolean stream = optionalBoolean(body, "stream");
    boolean includeUsage = false;
    Object streamOptions = body.getValue("stream_options");
    if (streamOptions != null) {
      if (!stream) {
        throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
      }
      if (!(streamOptions instanceof JsonObject options)) {
        throw invalid("'stream_options' must be an object.", "stream_options");
      }
      includeUsage = optionalBoolean(options, "include_usage", "stream_options.include_usage");
    }
    checkNumber(body, "temperature", 0, 2);
    checkNumber(body, "top_p", 0, 1);
    checkNumber(body, "presence_penalty", -2, 2);
    checkNumber(body, "frequency_penalty", -2, 2);
    checkInteger(body, "n", 1, 128);
    checkInteger(body, "max_tokens", 1, Integer.MAX_VALUE);
    checkInteger(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
    checkInteger(body, "top_logprobs", 0, 20);
    checkInteger(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    optionalBoolean(body, "logprobs");
    optionalBoolean(body, "parallel_tool_calls");
    checkStop(body.getValue("stop"));
    checkTools(body.getValue("tools"));
    checkToolChoice(body.getValue("tool_choice"));
    checkResponseFormat(body.getValue("response_format"));
    checkLogitBias(body.getValue("logit_bias"));
    checkStringMap(body, "metadata");
    checkString(body, "reasoning_effort");
    checkString(body, "service_tier");
    optionalBoolean(body, "store");
    Object user = body.getValue("user");
    if (user != null && !(user instanceof String)) {
      throw invalid("'user' must be a string.", "user");
    }
    return new ChatRequest(body, model, stream, includeUsage, features);
  }

  private static void checkMessages(Object value, java.util.EnumSet<io.turnout.routes.Feature> features) {
    if (value == null) {
      throw invalid("Missing required parameter: 'messages'.", "messages");
    }
    if (!(value instanceof JsonArray messages)) {
      throw invalid("'messages' must be an array.", "messages");
    }
    if (messages.isEmpty()) {
      throw invalid("'messages' must contain at least one message.", "messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages[" + i + "]";
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw invalid("'" + at + "' must be an object.", at);
      }
      Object role = message.getValue("role");
      if (!(role instanceof String r) || !ROLES.contains(r)) {
        throw invalid(role == null ? "Missing required parameter: '" + at + ".role'."
            : "'" + at + ".role' must be one of system, developer, user, assistant, tool.", at + ".role");
      }
      Object content = message.getValue("content");
      boolean hasContent = content != null;
      if (hasContent && !(content instanceof String) && !(content instanceof JsonArray)) {
        throw invalid("'" + at + ".content' must be a string or an array of content parts.", at + ".content");
      }
      if (content instanceof JsonArray parts) {
        ContentPartsCheck.check(parts, at + ".content", features);
      }
      switch (r) {
        case "assistant" -> {
          Object toolCalls = message.getValue("tool_calls");
          if (toolCalls != null) {
            checkToolCalls(toolCalls, at + ".tool_calls");
          }
          if (!hasContent && toolCalls == null && message.getValue("function_call") == null
              && message.getValue("refusal") == null) {
            throw invalid("'" + at + "' must have content, tool_calls or refusal.", at + ".content");
          }
        }
        case "tool" -> {
          if (!(message.getValue("tool_call_id") instanceof String id) || id.isEmpty()) {
            throw invalid("Missing required parameter: '" + at + ".tool_call_id'.", at + ".tool_call_id");
          }
          requireContent(hasContent, at);
        }
        default -> requireContent(hasContent, at);
      }
    }
  }

  private static void requireContent(boolean hasContent, String at) {
    if (!hasContent) {
      throw invalid("Missing required parameter: '" + at + ".content'.", at + ".content");
    }
  }

  private static void checkToolCalls(Object value, String at) {
    if (!(value instanceof JsonArray calls) || calls.isEmpty()) {
      throw invalid("'" + at + "' must be a non-empty array.", at);
    }
    for (int i = 0; i < calls.size(); i++) {
      String callAt = at + "[" + i + "]";
      if (!(calls.getValue(i) instanceof JsonObject call) || !(call.getValue("id") instanceof String)) {
        throw invalid("'" + callAt + "' must be an object with an 'id'.", callAt + ".id");
      }
      if (!(call.getValue("function") instanceof JsonObject function)
          || !(function.getValue("name") instanceof String)
          || !(function.getValue("arguments") instanceof String)) {
        throw invalid("'" + callAt + ".function' must have a 'name' and string 'arguments'.", callAt + ".function");
      }
    }
  }

  private static void checkStop(Object stop) {
    if (stop == null || stop instanceof String) {
      return;
    }
    if (!(stop instanceof JsonArray list) || list.size() > 4) {
      throw invalid("'stop' must be a string or an array of at most 4 strings.", "stop");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String)) {
        throw invalid("'stop[" + i + "]' must be a string.", "stop[" + i + "]");
      }
    }
  }

  private static void checkTools(Object value) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonArray tools)) {
      throw invalid("'tools' must be an array.", "tools");
    }
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      if (!(tools.getValue(i) instanceof JsonObject tool) || !"function".equals(tool.getValue("type"))) {
        throw invalid("'" + at + ".type' must be 'function'.", at + ".type");
      }
      if (!(tool.getValue("function") instanceof JsonObject function)
          || !(function.getValue("name") instanceof String name) || name.isEmpty()) {
        throw invalid("Missing required parameter: '" + at + ".function.name'.", at + ".function.name");
      }
      Object parameters = function.getValue("parameters");
      if (parameters != null && !(parameters instanceof JsonObject)) {
        throw invalid("'" + at + ".function.parameters' must be an object.", at + ".function.parameters");
      }
    }
  }

  private static void checkToolChoice(Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof String s) {
      if (!TOOL_CHOICES.contains(s)) {
        throw invalid("'tool_choice' must be none, auto, required or a function choice.", "tool_choice");
      }
      return;
    }
    if (!(value instanceof JsonObject choice) || !(choice.getValue("function") instanceof JsonObject function)
        || !(function.getValue("name") instanceof String)) {
      throw invalid("'tool_choice' must be none, auto, required or {type: function, function: {name}}.", "tool_choice");
    }
  }

  private static void checkResponseFormat(Object value) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject format) || !(format.getValue("type") instanceof String type)
        || !RESPONSE_FORMATS.contains(type)) {
      throw invalid("'response_format.type' must be text, json_object or json_schema.", "response_format.type");
    }
    if ("json_schema".equals(type) && !(format.getValue("json_schema") instanceof JsonObject)) {
      throw invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema");
    }
  }

  private static String requiredString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      throw invalid("Missing required parameter: '" + key + "'.", key);
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw invalid("'" + key + "' must be a non-empty string.", key);
    }
    return s;
  }

  private static boolean optionalBoolean(JsonObject json, String key) {
    return optionalBoolean(json, key, key);
  }

  private static boolean optionalBoolean(JsonObject json, String key, String param) {
    Object value = json.getValue(key);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw invalid("'" + param + "' must be a boolean.", param);
    }
    return b;
  }

  private static void checkNumber(JsonObject body, String key, double min, double max) {
    Object value = body.getValue(key);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
      throw invalid("'" + key + "' must be a number between " + fmt(min) + " and " + fmt(max) + ".", key);
    }
  }

  private static void checkInteger(JsonObject body, String key, long min, long max) {
    Object value = body.getValue(key);
    if (value == null) {
      return;
    }
    boolean integral = value instanceof Integer || value instanceof Long
        || value instanceof java.math.BigInteger && ((java.math.BigInteger) value).bitLength() < 64;
    if (!integral || ((Number) value).longValue() < min || ((Number) value).longValue() > max) {
      throw invalid("'" + key + "' must be an integer" + (min > Long.MIN_VALUE ? " >= " + min : "") + ".", key);
    }
  }

  /** {@code logit_bias}: token ids (as strings of digits) to biases from -100 to 100. */
  private static void checkLogitBias(Object value) {
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject bias)) {
      throw invalid("'logit_bias' must be an object mapping token ids to numbers.", "logit_bias");
    }
    for (String token : bias.fieldNames()) {
      String at = "logit_bias." + (token.length() <= 20 ? token : token.substring(0, 20) + "...");
      if (token.isEmpty() || token.length() > 10 || !token.chars().allMatch(Character::isDigit)) {
        throw invalid("'logit_bias' keys must be token ids (digits).", at);
      }
      if (!(bias.getValue(token) instanceof Number n) || n.doubleValue() < -100 || n.doubleValue() > 100) {
        throw invalid("'" + at + "' must be a number from -100 to 100.", at);
      }
    }
  }

  private static void checkStringMap(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return;
    }
    if (!(value instanceof JsonObject map)) {
      throw invalid("'" + key + "' must be an object.", key);
    }
    for (String field : map.fieldNames()) {
      if (!(map.getValue(field) instanceof String)) {
        throw invalid("'" + key + "' values must be strings.", key + "." + field);
      }
    }
  }

  private static void checkString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw invalid("'" + key + "' must be a string.", key);
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static ApiException invalid(String message, String param) {
    return ApiError.invalidRequest(message, param, "invalid_request").exception();
  }
}
