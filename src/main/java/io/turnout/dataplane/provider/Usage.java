package io.turnout.dataplane.provider;

import io.vertx.core.json.JsonObject;

/**
 * Token usage of one completion, in OpenAI's terms.
 *
 * @param source where the numbers came from; {@link UsageSource#NONE} means the provider sent none
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, UsageSource source) {

  /** Usage for an answer whose provider reported nothing. */
  public static final Usage NONE = new Usage(0, 0, 0, UsageSource.NONE);

  /** Usage reported by the provider; total is prompt + completion. */
  public static Usage provider(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, UsageSource.PROVIDER);
  }

  /** OpenAI's {@code usage} object. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", totalTokens);
  }
}
