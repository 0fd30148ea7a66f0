package io.turnout.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** How the simulator's OpenAI contract checks a request, with OpenAI's own wording and codes. */
final class OpenAiSimRequests {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private OpenAiSimRequests() {}

  /** The request's first problem as OpenAI would answer it, or null when it is valid. */
  static SimRejection validate(MultiMap headers, JsonObject body) {
    if (body == null) {
      return SimRejection.invalid("We could not parse the JSON body of your request. The simulator expects a JSON"
          + " object.", null, null);
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      return SimRejection.invalid("you must provide a model parameter", null, null);
    }
    Object messages = body.getValue("messages");
    if (messages == null) {
      return SimRejection.invalid("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
    }
    if (!(messages instanceof JsonArray list)) {
      return SimRejection.invalid("Invalid type for 'messages': expected an array of objects, but got "
          + SimText.typeOf(messages) + " instead.", "messages", "invalid_type");
    }
    if (list.isEmpty()) {
      return SimRejection.invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got"
          + " an empty array instead.", "messages", "empty_array");
    }
    for (int i = 0; i < list.size(); i++) {
      String param = "messages[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject message)) {
        return SimRejection.invalid("Invalid type for '" + param + "': expected an object.", param, "invalid_type");
      }
      Object role = message.getValue("role");
      if (!(role instanceof String r) || !ROLES.contains(r)) {
        return SimRejection.invalid("Invalid value for '" + param + ".role'. Supported values are: 'system',"
            + " 'developer', 'user', 'assistant', 'tool' and 'function'.", param + ".role", "invalid_value");
      }
      if (r.equals("tool") && !(message.getValue("tool_call_id") instanceof String)) {
        return SimRejection.invalid("Missing required parameter: '" + param + ".tool_call_id'.",
            param + ".tool_call_id", "missing_required_parameter");
      }
    }
    return null;
  }

  /** The tool to call: the named one under tool_choice, else the first declared; null for a text answer. */
  static String toolToCall(JsonObject body, JsonArray messages) {
    if (!(body.getValue("tools") instanceof JsonArray tools) || tools.isEmpty()) {
      return null;
    }
    Object choice = body.getValue("tool_choice");
    if ("none".equals(choice)) {
      return null;
    }
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    if (!"user".equals(last.getValue("role"))) {
      return null;
    }
    if (choice instanceof JsonObject c && c.getValue("function") instanceof JsonObject f
        && f.getValue("name") instanceof String named) {
      return named;
    }
    for (Object t : tools) {
      if (t instanceof JsonObject tool && tool.getValue("function") instanceof JsonObject f
          && f.getValue("name") instanceof String name) {
        return name;
      }
    }
    return null;
  }}
