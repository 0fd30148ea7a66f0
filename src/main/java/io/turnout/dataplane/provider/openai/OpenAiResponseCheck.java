package io.turnout.dataplane.provider.openai;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The strict contract check of OpenAI-shaped answers: critical fields must be present and of the
 * right type, optional ones may be absent or empty. A failed check is a
 * {@link ErrorClass#MALFORMED_RESPONSE} naming the field, so an operator can see what broke
 * without the body being logged.
 */
final class OpenAiResponseCheck {

  static final Set<String> FINISH_REASONS =
      Set.of("stop", "length", "tool_calls", "content_filter", "function_call");

  private OpenAiResponseCheck() {}

  /** Checks a {@code chat.completion}; returns its usage. */
  static Usage checkCompletion(JsonObject body) {
    requireString(body, "id", "id");
    requireValue(body, "object", "chat.completion", "object");
    JsonArray choices = requireArray(body, "choices", "choices");
    if (choices.isEmpty()) {
      throw malformed("choices is empty");
    }
    for (int i = 0; i < choices.size(); i++) {
      String at = "choices[" + i + "]";
      JsonObject choice = requireObjectAt(choices, i, at);
      JsonObject message = requireObject(choice, "message", at + ".message");
      checkMessage(message, at + ".message");
      Object finish = choice.getValue("finish_reason");
      if (!(finish instanceof String reason)) {
        throw malformed(finish == null ? "missing field: " + at + ".finish_reason" : at + ".finish_reason is not a string");
      }
      if (!FINISH_REASONS.contains(reason)) {
        throw malformed(at + ".finish_reason has an unknown value");
      }
    }
    return usage(body, "usage");
  }

  /** Checks one {@code chat.completion.chunk}; returns its usage or {@link Usage#NONE}. */
  static Usage checkChunk(JsonObject chunk) {
    requireString(chunk, "id", "id");
    requireValue(chunk, "object", "chat.completion.chunk", "object");
    JsonArray choices = requireArray(chunk, "choices", "choices");
    for (int i = 0; i < choices.size(); i++) {
      String at = "choices[" + i + "]";
      JsonObject choice = requireObjectAt(choices, i, at);
      Object delta = choice.getValue("delta");
      if (delta != null && !(delta instanceof JsonObject)) {
        throw malformed(at + ".delta is not an object");
      }
      Object finish = choice.getValue("finish_reason");
      if (finish != null && !(finish instanceof String s && FINISH_REASONS.contains(s))) {
        throw malformed(at + ".finish_reason has an unknown value");
      }
    }
    return usage(chunk, "usage");
  }

  /** True when a checked chunk ends one of its choices. */
  static boolean hasFinishReason(JsonObject chunk) {
    JsonArray choices = chunk.getJsonArray("choices");
    for (int i = 0; i < choices.size(); i++) {
      if (choices.getJsonObject(i).getValue("finish_reason") != null) {
        return true;
      }
    }
    return false;
  }

  private static void checkMessage(JsonObject message, String at) {
    Object content = message.getValue("content");
    Object toolCalls = message.getValue("tool_calls");
    Object refusal = message.getValue("refusal");
    if (content != null && !(content instanceof String)) {
      throw malformed(at + ".content is not a string");
    }
    if (refusal != null && !(refusal instanceof String)) {
      throw malformed(at + ".refusal is not a string");
    }
    boolean hasToolCalls = false;
    if (toolCalls != null) {
      if (!(toolCalls instanceof JsonArray calls)) {
        throw malformed(at + ".tool_calls is not a list");
      }
      for (int i = 0; i < calls.size(); i++) {
        String callAt = at + ".tool_calls[" + i + "]";
        JsonObject call = requireObjectAt(calls, i, callAt);
        requireString(call, "id", callAt + ".id");
        JsonObject function = requireObject(call, "function", callAt + ".function");
        requireString(function, "name", callAt + ".function.name");
        if (!(function.getValue("arguments") instanceof String)) {
          throw malformed("missing field: " + callAt + ".function.arguments");
        }
      }
      hasToolCalls = !calls.isEmpty();
    }
    if (content == null && !hasToolCalls && refusal == null) {
      throw malformed(at + " has neither content, tool_calls nor refusal");
    }
  }

  private static Usage usage(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return Usage.NONE;
    }
    if (!(value instanceof JsonObject usage)) {
      throw malformed(key + " is not an object");
    }
    long prompt = tokenCount(usage, "prompt_tokens", key);
    long completion = tokenCount(usage, "completion_tokens", key);
    long total = tokenCount(usage, "total_tokens", key);
    return new Usage(prompt, completion, total, io.turnout.dataplane.provider.UsageSource.PROVIDER);
  }

  private static long tokenCount(JsonObject usage, String field, String at) {
    Object value = usage.getValue(field);
    // Jackson yields Integer or Long for counts that fit; a BigInteger would wrap in longValue().
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw malformed(value == null ? "missing field: " + at + "." + field : at + "." + field + " is not a non-negative integer");
    }
    return ((Number) value).longValue();
  }

  private static void requireString(JsonObject json, String key, String at) {
    Object value = json.getValue(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw malformed(value == null ? "missing field: " + at : at + " is not a non-empty string");
    }
  }

  private static void requireValue(JsonObject json, String key, String expected, String at) {
    Object value = json.getValue(key);
    if (!expected.equals(value)) {
      throw malformed(value == null ? "missing field: " + at : at + " is not \"" + expected + "\"");
    }
  }

  private static JsonArray requireArray(JsonObject json, String key, String at) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonArray array)) {
      throw malformed(value == null ? "missing field: " + at : at + " is not a list");
    }
    return array;
  }

  private static JsonObject requireObject(JsonObject json, String key, String at) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonObject object)) {
      throw malformed(value == null ? "missing field: " + at : at + " is not an object");
    }
    return object;
  }

  private static JsonObject requireObjectAt(JsonArray array, int index, String at) {
    Object value = array.getValue(index);
    if (!(value instanceof JsonObject object)) {
      throw malformed(at + " is not an object");
    }
    return object;
  }

  static ProviderFailure malformed(String what) {
    return ProviderFailure.ours(ErrorClass.MALFORMED_RESPONSE, "provider response broke the contract: " + what,
        200, FailureCode.MALFORMED_RESPONSE);
  }
}
