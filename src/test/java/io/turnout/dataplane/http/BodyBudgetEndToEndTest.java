package io.turnout.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node holds at most {@code http.max_body_bytes_in_flight} bytes of request bodies at once:
 * large bodies arriving together beyond that are refused unread with a 503 in OpenAI's shape,
 * logged, and the node goes on serving. Small limits, so the bodies are small and the test fast.
 */
@ExtendWith(VertxExtension.class)
class BodyBudgetEndToEndTest {

  private static final int MAX_BODY = 8_192;
  private static final int IN_FLIGHT = 16_384;
  private static final String HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/json\r\n";

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;
  private static LogCapture requestLog;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    requestLog = LogCapture.logger("turnout.request");
    String yaml = TestNode.config(sim, 2_000, 2_000, 5_000).replace("  instances: 1\n",
        "  instances: 1\n  max_body_bytes: " + MAX_BODY + "\n  max_body_bytes_in_flight: " + IN_FLIGHT + "\n");
    node = TestNode.start(vertx, yaml);
  }

  @AfterAll
  static void stop() {
    node.stop();
    requestLog.close();
  }

  @Test
  void bodiesBeyondTheBudget_get503InOpenAiShape_untilHeldOnesEnd() throws Exception {
    FrontDoor door = node.node().frontDoor();
    try (RawConnection first = new RawConnection(node.port());
        RawConnection second = new RawConnection(node.port())) {
      // GIVEN two clients sending bodies near max_body_bytes, both still arriving
      first.send(HEAD + "Content-Length: 8000\r\n\r\n{\"model\":");
      second.send(HEAD + "Content-Length: 8000\r\n\r\n{\"model\":");
      Eventually.await(vertx, "both bodies reserved", 5_000, () -> door.bodyBytesHeld() == 16_000);

      // WHEN a third declares a body that does not fit, THEN it is refused unread, and its connection closed
      try (RawConnection third = new RawConnection(node.port())) {
        third.send(HEAD + "Content-Length: 8000\r\n\r\n{\"model\":");
        assertRefused(third.readUntilClosed(5_000));
      }
      // AND so is a chunked body once its chunks no longer fit
      try (RawConnection chunked = new RawConnection(node.port())) {
        chunked.send(HEAD + "Transfer-Encoding: chunked\r\n\r\n3e8\r\n" + " ".repeat(1_000) + "\r\n");
        assertRefused(chunked.readUntilClosed(5_000));
      }
      assertEquals(16_000, door.bodyBytesHeld(), "the refused bodies took nothing");
    }

    // THEN, the two clients gone, their bytes are returned, and the node serves as before
    Eventually.await(vertx, "held bodies returned", 5_000, () -> door.bodyBytesHeld() == 0);
    TestHttp.Response ok = node.http().chat(ChatRequests.plain("chat-primary"));
    assertEquals(200, ok.status(), ok.text());
    Eventually.await(vertx, "the answered request's bytes returned", 5_000, () -> door.bodyBytesHeld() == 0);
    Eventually.await(vertx, "the refusals logged", 5_000,
        () -> requestLog.json().stream().filter(l -> Integer.valueOf(503).equals(l.getInteger("http_status"))).count() == 2);
  }

  private static void assertRefused(String received) {
    assertTrue(received.startsWith("HTTP/1.1 503"), received);
    JsonObject error = new JsonObject(received.substring(received.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
    assertEquals("body_bytes_exhausted", error.getString("code"));
    assertEquals("server_error", error.getString("type"));
    assertTrue(error.getString("message").contains("http.max_body_bytes_in_flight"), error.encode());
  }
}
