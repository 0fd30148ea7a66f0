package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.simulator.SimTestSupport.Capture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keys and required headers, for both contracts. */
@ExtendWith(VertxExtension.class)
class SimAuthTest {

  private SimTestSupport sim;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimTestSupport.start(vertx);
  }

  @Test
  void openAiAcceptsTheBearerKey() {
    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("hi"));
    assertEquals(200, reply.status(), reply.body());
    assertEquals("sim-primary-1", reply.header("x-request-id"));
  }

  @Test
  void openAiRejectsAWrongKeyInItsErrorShape() {
    Capture reply = sim.send(SimTestSupport.openAi().putHeader("authorization", "Bearer sk-wrong"),
        SimTestSupport.openAiRequest("hi"));

    assertEquals(401, reply.status());
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("invalid_api_key", error.getString("code"));
    assertTrue(error.containsKey("param") && error.getValue("param") == null);
    assertFalse(error.getString("message").contains("sk-wrong"), "never echo a key");
    assertEquals("sim-primary-1", reply.header("x-request-id"));
  }

  @Test
  void openAiRejectsAMissingKey() {
    Capture reply = sim.send(SimTestSupport.openAi().removeHeader("authorization"), SimTestSupport.openAiRequest("hi"));
    assertEquals(401, reply.status());
    assertEquals("invalid_api_key", reply.json().getJsonObject("error").getString("code"));
  }

  @Test
  void openAiDoesNotTakeTheAnthropicHeader() {
    Capture reply = sim.send(SimTestSupport.openAi().removeHeader("authorization")
        .putHeader("x-api-key", SimTestSupport.OPENAI_KEY), SimTestSupport.openAiRequest("hi"));
    assertEquals(401, reply.status());
  }

  @Test
  void anthropicAcceptsTheApiKeyHeader() {
    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("hi"));
    assertEquals(200, reply.status(), reply.body());
    assertEquals("req_sim_1", reply.header("request-id"));
  }

  @Test
  void anthropicRejectsAWrongKeyInItsErrorShape() {
    Capture reply = sim.send(SimTestSupport.anthropic().putHeader("x-api-key", "sk-ant-wrong"),
        SimTestSupport.anthropicRequest("hi"));

    assertEquals(401, reply.status());
    JsonObject body = reply.json();
    assertEquals("error", body.getString("type"));
    assertEquals("authentication_error", body.getJsonObject("error").getString("type"));
    assertEquals("req_sim_1", body.getString("request_id"));
    assertEquals("req_sim_1", reply.header("request-id"));
  }

  @Test
  void anthropicRejectsBearerAuth() {
    Capture reply = sim.send(SimTestSupport.anthropic().removeHeader("x-api-key")
        .putHeader("authorization", "Bearer " + SimTestSupport.ANTHROPIC_KEY), SimTestSupport.anthropicRequest("hi"));
    assertEquals(401, reply.status());
  }

  @Test
  void anthropicRequiresTheVersionHeader() {
    Capture reply = sim.send(SimTestSupport.anthropic().removeHeader("anthropic-version"),
        SimTestSupport.anthropicRequest("hi"));

    assertEquals(400, reply.status());
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains("anthropic-version"));
  }
}
