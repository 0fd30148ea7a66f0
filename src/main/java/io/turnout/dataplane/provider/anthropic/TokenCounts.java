package io.turnout.dataplane.provider.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * Token numbers read from an Anthropic {@code usage} object.
 *
 * @param promptTokens input tokens including cache writes and cache reads, as OpenAI counts a prompt
 * @param outputTokens output tokens
 * @param hasPrompt whether the object carried {@code input_tokens}
 * @param hasOutput whether the object carried {@code output_tokens}
 */
record TokenCounts(long promptTokens, long outputTokens, boolean hasPrompt, boolean hasOutput) {

  /**
   * Reads a usage object. Fields that are present must be non-negative integers: usage feeds
   * billing and quota, so a wrong number is worse than a failed attempt.
   *
   * @param path the field's path for error messages, e.g. {@code usage}
   * @param requireBoth whether {@code input_tokens} and {@code output_tokens} are required
   */
  static TokenCounts read(JsonObject usage, String path, boolean requireBoth) {
    Long input = count(usage, "input_tokens", path, requireBoth);
    Long output = count(usage, "output_tokens", path, requireBoth);
    Long cacheWrite = count(usage, "cache_creation_input_tokens", path, false);
    Long cacheRead = count(usage, "cache_read_input_tokens", path, false);
    long prompt = orZero(input) + orZero(cacheWrite) + orZero(cacheRead);
    return new TokenCounts(prompt, orZero(output), input != null, output != null);
  }

  private static Long count(JsonObject usage, String key, String path, boolean required) {
    Object v = usage.getValue(key);
    if (v == null) {
      if (required) {
        throw AnthropicFailures.missingField(path + "." + key);
      }
      return null;
    }
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
      return ((Number) v).longValue();
    }
    throw AnthropicFailures.invalidField(path + "." + key);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
