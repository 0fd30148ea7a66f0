package io.turnout.routes;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fallback for streams ends at the first byte the client receives: before it, a failed stream
 * is retried and rerouted like any request and the client sees one clean stream; after it, a
 * retry or another provider would duplicate or contradict what the client already has, so the
 * stream ends with an explicit SSE error event and nothing else is tried.
 */
@ExtendWith(VertxExtension.class)
class StreamFallbackEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 10000,
           enabled_features: [stream], rollback_route_version: chat-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    // Short first-byte and idle timeouts so hung and stalled streams fail quickly.
    node = TestNode.start(vertx, TestNode.config(sim, 400, 300, 5_000), ROUTES);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
    sim.reset("cometapi");
  }

  @Test
  void primaryFailingBeforeTheFirstChunk_fallsBack_andTheClientGetsOneCleanStream() {
    // GIVEN the primary answers the stream and its retry with a 500
    sim.failNext("primary", status(500), 2);

    // WHEN a client asks for a stream
    TestHttp.Response response = node.http().chat(ChatRequests.stream("chat"));

    // THEN the fallback's stream, whole, with the fallback named in the headers
    assertEquals(200, response.status(), response.text());
    assertTrue(response.header("content-type").startsWith("text/event-stream"));
    assertEquals("fallback", response.header("x-turnout-route"));
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals("upstream_5xx", response.header("x-turnout-fallback"));
    assertEquals("3", response.header("x-turnout-attempts"));
    assertCleanStream(response.events());
    assertEquals(2, sim.requests("primary").size());
    assertEquals(1, sim.requests("cometapi").size());
  }

  @Test
  void primaryHangingBeforeTheFirstChunk_fallsBack() {
    // GIVEN the primary never starts the stream, on the attempt and its retry
    sim.failNext("primary", fault("hang"), 2);

    TestHttp.Response response = node.http().chat(ChatRequests.stream("chat"));

    assertEquals(200, response.status(), response.text());
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals("timeout", response.header("x-turnout-fallback"));
    assertCleanStream(response.events());
  }

  static Stream<Arguments> failuresAfterTheFirstChunk() {
    return Stream.of(
        Arguments.of("cut", fault("cut").put("after_chunks", 1)),
        // Transient classes, retried and rerouted before the first chunk. The role chunk that opens
        // every OpenAI stream is already part of the client's answer.
        Arguments.of("server error event after the role chunk",
            fault("error_chunk").put("after_chunks", 0).put("error_type", "server_error")),
        Arguments.of("stall", fault("stall").put("after_chunks", 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failuresAfterTheFirstChunk")
  void failureAfterTheFirstChunk_isNeitherRetriedNorRerouted_andEndsWithAnErrorEvent(String name, JsonObject fault) {
    // GIVEN the primary fails the stream after its first chunk reached the client
    sim.failNext("primary", fault, 1);

    // WHEN a client asks for a stream
    TestHttp.Response response = node.http().chat(ChatRequests.stream("chat"));

    // THEN the stream it started on ends with an error event, never [DONE]
    assertEquals(200, response.status(), "headers went out with the first chunk");
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals("none", response.header("x-turnout-fallback"));
    assertEquals("1", response.header("x-turnout-attempts"));
    List<String[]> events = response.events();
    assertTrue(events.size() >= 2, "at least one chunk, then the error: " + response.text());
    String[] last = events.get(events.size() - 1);
    assertEquals("error", last[0], last[1]);
    assertTrue(new JsonObject(last[1]).containsKey("error"), last[1]);
    events.forEach(e -> assertFalse("[DONE]".equals(e[1])));
    // AND nothing else was tried: no retry, no fallback
    assertEquals(1, sim.requests("primary").size());
    assertEquals(0, sim.requests("cometapi").size(), "the fallback saw a request");
  }

  /** One upstream stream: every chunk from the same completion, no error, ended by [DONE]. */
  private static void assertCleanStream(List<String[]> events) {
    assertEquals("[DONE]", events.get(events.size() - 1)[1]);
    Set<String> ids = new HashSet<>();
    for (String[] event : events.subList(0, events.size() - 1)) {
      assertNull(event[0], "an event of type " + event[0] + ": " + event[1]);
      JsonObject chunk = new JsonObject(event[1]);
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      ids.add(chunk.getString("id"));
    }
    assertEquals(1, ids.size(), "chunks of more than one completion: " + ids);
  }
}
