package io.turnout.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Non-streaming chat completions through a real node to the real simulator, both contracts. */
@ExtendWith(VertxExtension.class)
class ChatCompletionsEndToEndTest {

  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, sim);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @BeforeEach
  void clearLogs() {
    sim.reset("primary");
    sim.reset("claude");
  }

  @Test
  void openAiContract_answerRelayed_modelPinned_unknownFieldsAndRequestIdPassThrough() {
    // GIVEN a request with an unknown field and the client's own request id
    JsonObject request = userRequest("chat-primary").put("x_vendor_extension", new JsonObject().put("a", 1))
        .put("temperature", 0.2);

    // WHEN it goes through the node
    TestHttp.Response response = node.http().chat(request, MultiMap.caseInsensitiveMultiMap()
        .add("x-request-id", "client-req-42"));

    // THEN the provider's answer comes back with the node's headers
    assertEquals(200, response.status(), response.text());
    JsonObject body = response.json();
    assertEquals("chat.completion", body.getString("object"));
    assertNotNull(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals("1", response.header("x-turnout-attempts"));
    assertEquals("client-req-42", response.header("x-request-id"));
    // AND upstream saw the pinned model id, the unknown field untouched and our request id
    JsonObject upstream = sim.requests("primary").getJsonObject(0);
    assertEquals("gpt-4o-mini-2024-07-18", upstream.getJsonObject("body").getString("model"));
    assertEquals(new JsonObject().put("a", 1), upstream.getJsonObject("body").getJsonObject("x_vendor_extension"));
    assertEquals(0.2, upstream.getJsonObject("body").getDouble("temperature"));
    assertEquals("client-req-42", upstream.getJsonObject("headers").getString("x-request-id"));
    assertTrue(upstream.getBoolean("auth_ok"), "the node sent the configured key");
  }

  @Test
  void requestWithoutId_getsAGeneratedOne_sentUpstreamToo() {
    TestHttp.Response response = node.http().chat(userRequest("chat-primary"));

    String id = response.header("x-request-id");
    assertTrue(id != null && id.startsWith("req_"), id);
    assertEquals(id, sim.requests("primary").getJsonObject(0).getJsonObject("headers").getString("x-request-id"));
  }

  @Test
  void anthropicContract_translatedBothWays() {
    // GIVEN an OpenAI request with a system message
    JsonObject request = new JsonObject().put("model", "chat-claude").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Be brief."))
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));

    TestHttp.Response response = node.http().chat(request);

    // THEN the client gets an OpenAI completion with usage
    assertEquals(200, response.status(), response.text());
    JsonObject body = response.json();
    assertEquals("chat.completion", body.getString("object"));
    assertEquals("stop", body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertTrue(body.getJsonObject("usage").getInteger("total_tokens") > 0);
    assertEquals("claude", response.header("x-turnout-provider"));
    // AND the provider got a Messages API request: system hoisted, max_tokens always sent
    JsonObject upstream = sim.requests("claude").getJsonObject(0).getJsonObject("body");
    assertEquals("Be brief.", upstream.getString("system"));
    assertEquals("claude-sonnet-4-5-20250929", upstream.getString("model"));
    assertTrue(upstream.getInteger("max_tokens") > 0);
    assertEquals(1, upstream.getJsonArray("messages").size());
  }

  @Test
  void anthropicContract_toolCallsComeBackAsOpenAiToolCalls() {
    JsonObject request = userRequest("chat-claude").put("tools", new JsonArray().add(new JsonObject()
        .put("type", "function").put("function", new JsonObject().put("name", "lookup_ticket")
            .put("parameters", new JsonObject().put("type", "object")))));

    TestHttp.Response response = node.http().chat(request);

    assertEquals(200, response.status(), response.text());
    JsonObject choice = response.json().getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("lookup_ticket", call.getJsonObject("function").getString("name"));
    assertEquals("lookup_ticket", sim.requests("claude").getJsonObject(0).getJsonObject("body")
        .getJsonArray("tools").getJsonObject(0).getString("name"));
  }

  @Test
  void aFormContentType_isRefusedWith415_notDecodedAsAForm() {
    // curl -d without -H sends a form content type; a % in the prompt once broke form decoding.
    JsonObject request = new JsonObject().put("model", "chat-primary").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "What is 5% of 200?")));

    TestHttp.Response response = node.http().send(HttpMethod.POST, "/v1/chat/completions", request.toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/x-www-form-urlencoded"));

    assertEquals(415, response.status(), response.text());
    assertEquals("unsupported_media_type", response.json().getJsonObject("error").getString("code"));
    assertTrue(sim.requests("primary").isEmpty());
  }

  @Test
  void modelsListsTheServedAliases() {
    TestHttp.Response response = node.http().send(HttpMethod.GET, "/v1/models", null);

    assertEquals(200, response.status());
    JsonArray data = response.json().getJsonArray("data");
    assertEquals(3, data.size());
    assertEquals("chat-claude", data.getJsonObject(0).getString("id"));
    assertEquals("model", data.getJsonObject(0).getString("object"));
    assertEquals(200, node.http().send(HttpMethod.GET, "/v1/models/chat-primary", null).status());
    assertEquals(404, node.http().send(HttpMethod.GET, "/v1/models/nope", null).status());
  }

  @Test
  void unknownPathAndMethod_answerInOpenAiErrorShape() {
    TestHttp.Response notFound = node.http().send(HttpMethod.GET, "/v1/nothing", null);
    TestHttp.Response wrongMethod = node.http().send(HttpMethod.GET, "/v1/chat/completions", null);

    assertEquals(404, notFound.status());
    assertEquals("unknown_url", notFound.json().getJsonObject("error").getString("code"));
    assertEquals(405, wrongMethod.status());
    assertFalse(wrongMethod.json().getJsonObject("error").getString("message").isEmpty());
  }

  static JsonObject userRequest(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));
  }
}
