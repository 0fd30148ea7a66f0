package io.turnout.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How the simulator's Anthropic contract checks a request, with Anthropic's own wording. */
final class AnthropicSimRequests {

  private AnthropicSimRequests() {}

  /** The request's first problem as Anthropic would answer it, or null when it is valid. */
  static SimRejection validate(MultiMap headers, JsonObject body) {
    if (headers.get("anthropic-version") == null) {
      return SimRejection.invalid("anthropic-version: header is required", null, null);
    }
    if (body == null) {
      return SimRejection.invalid("There was an error parsing the body of your request: it is not a JSON object.",
          null, null);
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      return SimRejection.invalid("model: Field required", null, null);
    }
    Object maxTokens = body.getValue("max_tokens");
    if (maxTokens == null) {
      return SimRejection.invalid("max_tokens: Field required", null, null);
    }
    if (!(maxTokens instanceof Integer || maxTokens instanceof Long) || ((Number) maxTokens).longValue() < 1) {
      return SimRejection.invalid("max_tokens: Input should be a valid integer greater than or equal to 1", null, null);
    }
    if (!(body.getValue("messages") instanceof JsonArray messages)) {
      return SimRejection.invalid("messages: Field required", null, null);
    }
    if (messages.isEmpty()) {
      return SimRejection.invalid("messages: at least one message is required", null, null);
    }
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        return SimRejection.invalid("messages." + i + ": Input should be a valid dictionary", null, null);
      }
      Object role = message.getValue("role");
      if ("system".equals(role)) {
        return SimRejection.invalid("messages." + i + ".role: Unexpected role \"system\". The Messages API accepts a"
            + " top-level `system` parameter, not \"system\" as an input message role.", null, null);
      }
      if (!"user".equals(role) && !"assistant".equals(role)) {
        return SimRejection.invalid("messages." + i + ".role: Input should be 'user' or 'assistant'", null, null);
      }
    }
    return null;
  }
}
