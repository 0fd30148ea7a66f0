package io.turnout.dataplane.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigNode;
import io.turnout.config.YamlFiles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each pre-approved check on hand-made answers, whole and streamed. */
class AcceptanceCheckTest {

  private static final JsonObject SCHEMA = new JsonObject().put("type", "object")
      .put("properties", new JsonObject().put("status", new JsonObject().put("type", "string")
          .put("enum", new JsonArray().add("open").add("closed"))).put("priority", new JsonObject().put("type",
              "integer").put("minimum", 1).put("maximum", 5)))
      .put("required", new JsonArray().add("status")).put("additionalProperties", false);
  private static final JsonObject SCHEMA_REQUEST = new JsonObject().put("response_format", new JsonObject()
      .put("type", "json_schema").put("json_schema", new JsonObject().put("name", "ticket").put("schema", SCHEMA)));
  private static final JsonObject TOOLS_REQUEST = new JsonObject().put("tools", new JsonArray().add(new JsonObject()
      .put("type", "function").put("function", new JsonObject().put("name", "lookup_ticket"))));

  private final Acceptance acceptance = new Acceptance(AcceptanceRules.fromConfig(ConfigNode.root("t.yaml",
      YamlFiles.parse("t.yaml", """
          chat:
            denied_finish_reasons: [content_filter]
            max_chars: 200
            deny_patterns: ["(?i)as an ai language model"]
          """))));

  private List<String> judge(JsonObject request, JsonObject message, String finishReason) {
    JsonObject body = new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", message).put("finish_reason", finishReason)));
    return acceptance.track("chat", request).completed(body.toBuffer()).failures();
  }

  private static JsonObject text(String content) {
    return new JsonObject().put("role", "assistant").put("content", content);
  }

  @Test
  void aStructuredAnswerMatchingItsSchemaPasses() {
    assertEquals(List.of(), judge(SCHEMA_REQUEST, text("{\"status\":\"open\",\"priority\":2}"), "stop"));
  }

  @Test
  void aStructuredAnswerBreakingItsSchemaFails_namingThePaths() {
    List<String> failures = judge(SCHEMA_REQUEST, text("{\"priority\":9,\"colour\":\"red\"}"), "stop");

    assertEquals(1, failures.size(), failures.toString());
    String f = failures.get(0);
    assertTrue(f.contains("missing required property 'status'") && f.contains("$.priority: above the maximum")
        && f.contains("property 'colour' is not allowed"), f);
  }

  @Test
  void prose_whereJsonWasAskedFor_fails() {
    assertEquals(List.of("json_schema: the content is not JSON"),
        judge(SCHEMA_REQUEST, text("Here is the summary you asked for."), "stop"));
    assertEquals(List.of("json_schema: the content is not a JSON object"), judge(new JsonObject()
        .put("response_format", new JsonObject().put("type", "json_object")), text("[1, 2]"), "stop"));
  }

  @Test
  void toolCallsMustNameADeclaredToolWithJsonArguments() {
    JsonObject calls = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
        .add(call("lookup_ticket", "{\"id\": 7}")).add(call("delete_everything", "{}")).add(call("lookup_ticket", "{7")));

    assertEquals(List.of("tool_calls: call 1 names a tool the request did not declare",
        "tool_calls: call 2 arguments are not JSON"), judge(TOOLS_REQUEST, calls, "tool_calls"));
  }

  @Test
  void emptyRefusedFilteredLongAndDeniedAnswersFail() {
    assertEquals(List.of("non_empty: the answer has neither content nor tool calls"),
        judge(new JsonObject(), text(""), "stop"));
    assertEquals(List.of("refusal: the model refused"),
        judge(new JsonObject(), text("x").put("refusal", "I can't help with that."), "stop"));
    assertEquals(List.of("finish_reason: content_filter"), judge(new JsonObject(), text("partial"), "content_filter"));
    assertTrue(judge(new JsonObject(), text("x".repeat(201)), "stop").get(0).startsWith("length: 201 characters"));
    assertEquals(List.of("deny_pattern: matches (?i)as an ai language model"),
        judge(new JsonObject(), text("As an AI language model, I summarize."), "stop"));
  }

  @Test
  void aStreamIsJudgedWhenComplete_fromItsChunks() {
    Acceptance.Tracker tracker = acceptance.track("chat", SCHEMA_REQUEST);
    tracker.chunk(chunk(new JsonObject().put("role", "assistant").put("content", "{\"status\":"), null));
    tracker.chunk(chunk(new JsonObject().put("content", "\"open\"}"), null));
    tracker.chunk(chunk(new JsonObject(), "stop"));

    assertEquals(List.of(), tracker.streamEnded().failures());
  }

  @Test
  void anAliasWithoutRulesIsNotTracked() {
    assertEquals(null, acceptance.track("other", new JsonObject()));
  }

  private static JsonObject call(String name, String arguments) {
    return new JsonObject().put("id", "call_" + name).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  private static Buffer chunk(JsonObject delta, String finishReason) {
    return new JsonObject().put("object", "chat.completion.chunk").put("choices", new JsonArray()
        .add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finishReason))).toBuffer();
  }
}
