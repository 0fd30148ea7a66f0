package io.turnout.dataplane.bus;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Sim;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A JVM caller on the event bus gets completions and classified failures. */
@ExtendWith(VertxExtension.class)
class ChatBusApiTest {

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, sim);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
  }

  @Test
  void requestReply_returnsTheCompletionWithTheNodesHeaders() {
    Message<Object> reply = vertx.eventBus().request(ChatBusApi.ADDRESS, request("chat-primary"),
        new DeliveryOptions().addHeader("x-request-id", "bus-req-1")).await();

    JsonObject completion = (JsonObject) reply.body();
    assertEquals("chat.completion", completion.getString("object"));
    assertEquals("primary", reply.headers().get("x-turnout-provider"));
    assertEquals("bus-req-1", reply.headers().get("x-request-id"));
    assertEquals("bus-req-1", sim.requests("primary").getJsonObject(0).getJsonObject("headers").getString("x-request-id"));
  }

  @Test
  void upstreamFailure_failsTheMessageWithStatusAndClassifiedOpenAiBody() {
    sim.nextFault("primary", status(429).put("retry_after_s", 2));

    ReplyException failure = assertThrows(ReplyException.class,
        () -> vertx.eventBus().request(ChatBusApi.ADDRESS, request("chat-primary")).await());

    assertEquals(429, failure.failureCode());
    JsonObject body = new JsonObject(failure.getMessage());
    assertEquals("rate_limited", body.getString("error_class"));
    assertEquals("primary", body.getString("provider"));
    assertEquals("rate_limit_exceeded", body.getJsonObject("error").getString("code"));
  }

  @Test
  void badRequests_failWithA4xx_andNothingGoesUpstream() {
    ReplyException notJson = assertThrows(ReplyException.class,
        () -> vertx.eventBus().request(ChatBusApi.ADDRESS, "hello").await());
    ReplyException unknownAlias = assertThrows(ReplyException.class,
        () -> vertx.eventBus().request(ChatBusApi.ADDRESS, request("nope")).await());
    ReplyException stream = assertThrows(ReplyException.class,
        () -> vertx.eventBus().request(ChatBusApi.ADDRESS, request("chat-primary").put("stream", true)).await());

    assertEquals(400, notJson.failureCode());
    assertEquals(404, unknownAlias.failureCode());
    assertEquals("model_not_found", new JsonObject(unknownAlias.getMessage()).getJsonObject("error").getString("code"));
    assertEquals(400, stream.failureCode());
    assertTrue(new JsonObject(stream.getMessage()).getJsonObject("error").getString("message").contains("HTTP"));
    assertEquals(0, sim.requests("primary").size());
  }

  private static JsonObject request(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));
  }
}
