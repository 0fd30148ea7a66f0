package io.turnout.dataplane.acceptance;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs an alias's {@link AcceptanceRules} on one answer, given the request that asked for it.
 * Pure; returns the failed checks as {@code name: reason} (reasons name fields and counts, never
 * the content itself, so they are safe to log).
 */
final class AcceptanceCheck {

  private AcceptanceCheck() {}

  /** @param schemas compiles (or finds compiled) the request's response schema */
  static List<String> failures(AcceptanceRules rules, JsonObject request, AnswerShape answer, SchemaCache schemas) {
    List<String> failures = new ArrayList<>();
    String content = answer.content();
    List<AnswerShape.ToolCall> calls = answer.toolCalls();
    if (rules.nonEmpty() && content.isBlank() && calls.isEmpty()) {
      failures.add("non_empty: the answer has neither content nor tool calls");
    }
    if (rules.refusal() && answer.refusal() != null) {
      failures.add("refusal: the model refused");
    }
    if (answer.finishReason() != null && rules.deniedFinishReasons().contains(answer.finishReason())) {
      failures.add("finish_reason: " + answer.finishReason());
    }
    int length = content.codePointCount(0, content.length());
    if (calls.isEmpty() && length < rules.minChars()) {
      failures.add("length: " + length + " characters, at least " + rules.minChars() + " required");
    }
    if (rules.maxChars() > 0 && length > rules.maxChars()) {
      failures.add("length: " + length + " characters, at most " + rules.maxChars() + " allowed");
    }
    for (Pattern pattern : rules.denyPatterns()) {
      if (pattern.matcher(content).find()) {
        failures.add("deny_pattern: matches " + pattern.pattern());
      }
    }
    if (rules.jsonSchema() && calls.isEmpty()) {
      responseFormat(request, content, failures, schemas);
    }
    if (rules.toolCalls()) {
      toolCalls(request, calls, failures);
    }
    return failures;
  }

  private static void responseFormat(JsonObject request, String content, List<String> failures,
      SchemaCache schemas) {
    if (!(request.getValue("response_format") instanceof JsonObject format)) {
      return;
    }
    String type = format.getString("type", "");
    if (!"json_schema".equals(type) && !"json_object".equals(type)) {
      return;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(content);
    } catch (DecodeException e) {
      failures.add("json_schema: the content is not JSON");
      return;
    }
    if (!(parsed instanceof JsonObject)) {
      failures.add("json_schema: the content is not a JSON object");
      return;
    }
    JsonObject schema = format.getJsonObject("json_schema", new JsonObject()).getJsonObject("schema");
    if ("json_schema".equals(type) && schema != null) {
      List<String> problems = schemas.get(schema).problems(parsed);
      if (!problems.isEmpty()) {
        failures.add("json_schema: " + String.join("; ", problems));
      }
    }
  }

  private static void toolCalls(JsonObject request, List<AnswerShape.ToolCall> calls, List<String> failures) {
    if (calls.isEmpty()) {
      return;
    }
    Set<String> declared = new HashSet<>();
    for (Object tool : request.getJsonArray("tools", new JsonArray())) {
      if (tool instanceof JsonObject t && t.getJsonObject("function") != null) {
        declared.add(t.getJsonObject("function").getString("name"));
      }
    }
    for (int i = 0; i < calls.size(); i++) {
      AnswerShape.ToolCall call = calls.get(i);
      if (!declared.contains(call.name())) {
        failures.add("tool_calls: call " + i + " names a tool the request did not declare");
      }
      try {
        if (!(Json.decodeValue(call.arguments().isEmpty() ? "{}" : call.arguments()) instanceof JsonObject)) {
          failures.add("tool_calls: call " + i + " arguments are not a JSON object");
        }
      } catch (DecodeException e) {
        failures.add("tool_calls: call " + i + " arguments are not JSON");
      }
    }
  }
}
