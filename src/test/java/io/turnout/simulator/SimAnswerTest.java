package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.simulator.SimTestSupport.Capture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Non-streaming answers and request validation, for both contracts. */
@ExtendWith(VertxExtension.class)
class SimAnswerTest {

  private static final String SECRET_PROMPT = "the launch code is 0000";

  private SimTestSupport sim;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimTestSupport.start(vertx);
  }

  @Test
  void openAiAnswerIsDeterministicAndNeverEchoesThePrompt() {
    // GIVEN a system message and one user message of 23 characters (+ 9 of system)
    JsonObject request = SimTestSupport.openAiRequest(SECRET_PROMPT);

    // WHEN it is sent twice
    Capture first = sim.send(SimTestSupport.openAi(), request);
    Capture second = sim.send(SimTestSupport.openAi(), request);

    // THEN a chat.completion with the request's model, a fixed text and character-based usage
    assertEquals(200, first.status());
    assertTrue(first.header("content-type").startsWith("application/json"));
    JsonObject body = first.json();
    assertEquals("chatcmpl-sim-primary-1", body.getString("id"));
    assertEquals("chat.completion", body.getString("object"));
    assertEquals(SimTestSupport.CLOCK_MS / 1000, body.getLong("created"));
    assertEquals("gpt-sim-1", body.getString("model"));
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertEquals("stop", choice.getString("finish_reason"));
    JsonObject message = choice.getJsonObject("message");
    assertEquals("assistant", message.getString("role"));
    String text = message.getString("content");
    assertEquals("Simulated answer from primary (2 messages).", text);
    assertFalse(first.body().contains("launch"));
    JsonObject usage = body.getJsonObject("usage");
    assertEquals((9 + SECRET_PROMPT.length()) / 4 + 1, usage.getLong("prompt_tokens"));
    assertEquals(text.length() / 4 + 1, usage.getLong("completion_tokens"));
    assertEquals(usage.getLong("prompt_tokens") + usage.getLong("completion_tokens"), usage.getLong("total_tokens"));
    assertEquals(text, second.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
    assertEquals("sim-primary-2", second.header("x-request-id"));
  }

  @Test
  void anthropicAnswerIsAMessage() {
    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest(SECRET_PROMPT));

    assertEquals(200, reply.status());
    JsonObject body = reply.json();
    assertEquals("msg_sim_claude_1", body.getString("id"));
    assertEquals("message", body.getString("type"));
    assertEquals("assistant", body.getString("role"));
    assertEquals("claude-sim-1", body.getString("model"));
    assertEquals("end_turn", body.getString("stop_reason"));
    JsonObject block = body.getJsonArray("content").getJsonObject(0);
    assertEquals("text", block.getString("type"));
    assertEquals("Simulated answer from claude (1 message).", block.getString("text"));
    assertFalse(reply.body().contains("launch"));
    JsonObject usage = body.getJsonObject("usage");
    assertEquals((9 + SECRET_PROMPT.length()) / 4 + 1, usage.getLong("input_tokens"), "system counts as message text");
    assertEquals(block.getString("text").length() / 4 + 1, usage.getLong("output_tokens"));
  }

  @Test
  void openAiToolsAnswerWithACallToTheFirstTool() {
    JsonObject request = SimTestSupport.openAiRequest("weather?").put("tools", new JsonArray()
        .add(tool("get_weather")).add(tool("get_time")));

    JsonObject body = sim.send(SimTestSupport.openAi(), request).json();

    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("function", call.getString("type"));
    assertEquals("call_sim_1", call.getString("id"));
    assertEquals("get_weather", call.getJsonObject("function").getString("name"));
    assertEquals("{}", call.getJsonObject("function").getString("arguments"));
    assertNull(choice.getJsonObject("message").getValue("content"));
  }

  @Test
  void openAiToolsAreNotCalledAfterAToolResultOrWithToolChoiceNone() {
    JsonObject none = SimTestSupport.openAiRequest("weather?").put("tools", JsonArray.of(tool("get_weather")))
        .put("tool_choice", "none");
    JsonObject afterResult = SimTestSupport.openAiRequest("weather?").put("tools", JsonArray.of(tool("get_weather")));
    afterResult.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", JsonArray.of(
            new JsonObject().put("id", "call_1").put("type", "function")
                .put("function", new JsonObject().put("name", "get_weather").put("arguments", "{}")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "sunny"));

    for (JsonObject request : new JsonObject[] {none, afterResult}) {
      JsonObject choice = sim.send(SimTestSupport.openAi(), request).json().getJsonArray("choices").getJsonObject(0);
      assertEquals("stop", choice.getString("finish_reason"));
    }
  }

  @Test
  void anthropicToolsAnswerWithAToolUseBlock() {
    JsonObject request = SimTestSupport.anthropicRequest("weather?").put("tools", new JsonArray()
        .add(new JsonObject().put("name", "get_weather").put("input_schema", new JsonObject().put("type", "object"))));

    JsonObject body = sim.send(SimTestSupport.anthropic(), request).json();

    assertEquals("tool_use", body.getString("stop_reason"));
    JsonObject block = body.getJsonArray("content").getJsonObject(0);
    assertEquals("tool_use", block.getString("type"));
    assertEquals("get_weather", block.getString("name"));
    assertEquals("toolu_sim_1", block.getString("id"));
    assertEquals(new JsonObject(), block.getJsonObject("input"));
  }

  @Test
  void anthropicToolResultGetsATextAnswer() {
    JsonObject request = SimTestSupport.anthropicRequest("weather?")
        .put("tools", JsonArray.of(new JsonObject().put("name", "get_weather")));
    request.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("content", JsonArray.of(new JsonObject()
            .put("type", "tool_use").put("id", "toolu_1").put("name", "get_weather").put("input", new JsonObject()))))
        .add(new JsonObject().put("role", "user").put("content", JsonArray.of(new JsonObject()
            .put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", "sunny"))));

    assertEquals("end_turn", sim.send(SimTestSupport.anthropic(), request).json().getString("stop_reason"));
  }

  @Test
  void usageFalseOmitsUsage() {
    sim.putScript("primary", "{\"usage\": false}");
    sim.putScript("claude", "{\"usage\": false}");

    assertFalse(sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("hi")).json().containsKey("usage"));
    assertFalse(sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("hi")).json().containsKey("usage"));
  }

  @Test
  void openAiValidatesLikeTheRealApi() {
    assertOpenAiInvalid(Buffer.buffer("{not json"), null, null);
    assertOpenAiInvalid(new JsonObject().put("messages", JsonArray.of(user())).toBuffer(), null, null);
    assertOpenAiInvalid(new JsonObject().put("model", "m").toBuffer(), "messages", "missing_required_parameter");
    assertOpenAiInvalid(new JsonObject().put("model", "m").put("messages", new JsonArray()).toBuffer(), "messages",
        "empty_array");
    assertOpenAiInvalid(new JsonObject().put("model", "m").put("messages", JsonArray.of(
        new JsonObject().put("role", "robot").put("content", "x"))).toBuffer(), "messages[0].role", "invalid_value");
  }

  @Test
  void anthropicValidatesLikeTheRealApi() {
    JsonObject noMaxTokens = SimTestSupport.anthropicRequest("hi");
    noMaxTokens.remove("max_tokens");
    JsonObject systemRole = SimTestSupport.anthropicRequest("hi");
    systemRole.getJsonArray("messages").add(0, new JsonObject().put("role", "system").put("content", "x"));
    JsonObject empty = SimTestSupport.anthropicRequest();

    assertAnthropicInvalid(noMaxTokens, "max_tokens");
    assertAnthropicInvalid(systemRole, "system");
    assertAnthropicInvalid(empty, "messages");
  }

  @Test
  void unknownPathsAnswer404InTheContractShape() {
    Capture openAi = sim.send(SimTestSupport.openAi().setURI("/primary/v1/completions"), SimTestSupport.openAiRequest("x"));
    assertEquals(404, openAi.status());
    assertTrue(openAi.json().getJsonObject("error").containsKey("type"));

    Capture anthropic = sim.send(SimTestSupport.anthropic().setURI("/claude/v1/chat/completions"),
        SimTestSupport.anthropicRequest("x"));
    assertEquals(404, anthropic.status());
    assertEquals("not_found_error", anthropic.json().getJsonObject("error").getString("type"));

    Capture nobody = sim.send(SimTestSupport.openAi().setURI("/nobody/v1/chat/completions"), SimTestSupport.openAiRequest("x"));
    assertEquals(404, nobody.status());
    assertTrue(nobody.json().containsKey("error"));
  }

  private void assertOpenAiInvalid(Buffer body, String param, String code) {
    Capture reply = sim.send(SimTestSupport.openAi(), body);
    assertEquals(400, reply.status(), reply.body());
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals(param, error.getValue("param"));
    assertEquals(code, error.getValue("code"));
  }

  private void assertAnthropicInvalid(JsonObject body, String messagePart) {
    Capture reply = sim.send(SimTestSupport.anthropic(), body);
    assertEquals(400, reply.status(), reply.body());
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains(messagePart), error.getString("message"));
  }

  private static JsonObject user() {
    return new JsonObject().put("role", "user").put("content", "hi");
  }

  private static JsonObject tool(String name) {
    return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)
        .put("parameters", new JsonObject().put("type", "object")));
  }
}
