package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.simulator.SimTestSupport.Capture;
import io.turnout.simulator.SimTestSupport.Event;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults a client sees on the connection: stall, cut, error_chunk, hang, reset; and the counters
 * that prove a client that leaves ends the exchange.
 */
@ExtendWith(VertxExtension.class)
class SimConnectionFaultTest {

  private SimTestSupport sim;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimTestSupport.start(vertx);
  }

  @Test
  void openAiStallSendsSomeEventsThenNothing() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"stall\", \"after_chunks\": 2, \"times\": 1}]}");

    Capture reply = sim.sendImpatiently(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a").put("stream", true));

    assertEquals(200, reply.status());
    assertFalse(reply.ended());
    assertNotNull(reply.error(), "the client gave up on idle");
    List<Event> events = reply.events();
    assertEquals(3, events.size(), "role chunk and two content chunks: " + reply.body());
    assertEquals("", reply.dataObjects().get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
        .getString("content"));
    sim.awaitStats("primary", s -> s.getLong("client_closed") == 1 && s.getLong("open_exchanges") == 0
        && s.getLong("open_streams") == 0);
  }

  @Test
  void anthropicStallSendsThePreambleAndOneDelta() {
    sim.putScript("claude", "{\"faults\": [{\"kind\": \"stall\", \"after_chunks\": 1, \"times\": 1}]}");

    Capture reply = sim.sendImpatiently(SimTestSupport.anthropic(),
        SimTestSupport.anthropicRequest("a").put("stream", true));

    assertFalse(reply.ended());
    assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta"),
        reply.events().stream().map(Event::name).toList());
  }

  @Test
  void nonStreamStallSendsHeadersThenNothing() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"stall\", \"times\": 1}]}");

    Capture reply = sim.sendImpatiently(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(200, reply.status());
    assertEquals("", reply.body());
    assertFalse(reply.ended());
    assertNotNull(reply.error());
  }

  @Test
  void openAiCutClosesTheConnectionWithoutDone() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"cut\", \"after_chunks\": 2, \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a").put("stream", true));

    assertEquals(200, reply.status());
    assertFalse(reply.ended());
    assertNotNull(reply.error());
    assertEquals(3, reply.events().size());
    assertFalse(reply.body().contains("[DONE]"));
    JsonObject stats = sim.awaitStats("primary", s -> s.getLong("open_exchanges") == 0);
    assertEquals(0, stats.getLong("client_closed"), "the simulator closed it, not the client");
  }

  @Test
  void anthropicCutHasNoMessageStop() {
    sim.putScript("claude", "{\"faults\": [{\"kind\": \"cut\", \"after_chunks\": 1, \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a").put("stream", true));

    assertFalse(reply.ended());
    assertFalse(reply.body().contains("message_stop"));
    assertEquals(4, reply.events().size());
  }

  @Test
  void nonStreamCutSendsPartOfTheBody() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"cut\", \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(200, reply.status());
    assertFalse(reply.ended());
    assertNotNull(reply.error());
    int announced = Integer.parseInt(reply.header("content-length"));
    assertTrue(reply.body().length() > 0 && reply.body().length() < announced, reply.body());
    assertTrue(reply.body().startsWith("{\"id\":\"chatcmpl-sim-primary-1\""));
  }

  @Test
  void openAiErrorChunkEndsTheStreamWithAnError() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"error_chunk\", \"after_chunks\": 1, \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a").put("stream", true));

    assertEquals(200, reply.status());
    List<JsonObject> chunks = reply.dataObjects();
    assertEquals(3, chunks.size());
    JsonObject error = chunks.get(2).getJsonObject("error");
    assertEquals("server_error", error.getString("type"));
    assertTrue(error.containsKey("param") && error.containsKey("code") && error.containsKey("message"));
    assertFalse(reply.body().contains("[DONE]"));
  }

  @Test
  void anthropicErrorChunkIsAnErrorEvent() {
    sim.putScript("claude", """
        {"faults": [{"kind": "error_chunk", "after_chunks": 2, "error_type": "overloaded_error", "times": 1}]}""");

    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a").put("stream", true));

    List<Event> events = reply.events();
    Event last = events.get(events.size() - 1);
    assertEquals("error", last.name());
    JsonObject data = new JsonObject(last.data());
    assertEquals("error", data.getString("type"));
    assertEquals("overloaded_error", data.getJsonObject("error").getString("type"));
    assertEquals(6, events.size(), "3 preamble + 2 deltas + error");
    assertFalse(reply.body().contains("message_stop"));
  }

  @Test
  void nonStreamErrorChunkIsA500() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"error_chunk\", \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(500, reply.status());
    assertEquals("server_error", reply.json().getJsonObject("error").getString("type"));
  }

  @Test
  void hangNeverAnswersAndCountsTheClientLeaving() {
    sim.putScript("primary", "{\"latency_ms\": 5000, \"faults\": [{\"kind\": \"hang\", \"times\": 1}]}");

    Capture reply = sim.sendImpatiently(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(0, reply.status(), "no response at all");
    assertNotNull(reply.error());
    JsonObject stats = sim.awaitStats("primary", s -> s.getLong("client_closed") == 1);
    assertEquals(0, stats.getLong("open_exchanges"));
    assertEquals("fault:hang", sim.requestLog("primary").getJsonObject(0).getString("outcome"));
  }

  @Test
  void resetClosesTheConnectionWithoutAResponse() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"reset\", \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(0, reply.status());
    assertNotNull(reply.error());
    assertEquals(200, sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a")).status());
    assertEquals(0, sim.stats("primary").getLong("client_closed"));
  }

  @Test
  void clientResettingAHangingRequestIsCounted() {
    // GIVEN a hanging request the simulator has accepted
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"hang\", \"times\": 1}]}");
    HttpClientRequest request = sim.startRequest(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));
    sim.awaitStats("primary", s -> s.getLong("open_exchanges") == 1);

    // WHEN the client resets it
    request.reset();

    // THEN the exchange is over and counted as closed by the client
    JsonObject stats = sim.awaitStats("primary", s -> s.getLong("client_closed") == 1);
    assertEquals(0, stats.getLong("open_exchanges"));
    assertEquals(1, stats.getLong("requests"));
  }

  @Test
  void clientLeavingMidStreamStopsTheStream() {
    // GIVEN a slow stream the client is reading
    sim.putScript("primary", "{\"chunk_interval_ms\": 200}");
    HttpClientRequest request = sim.startRequest(SimTestSupport.openAi(),
        SimTestSupport.openAiRequest("a").put("stream", true));
    sim.awaitStats("primary", s -> s.getLong("open_streams") == 1);

    // WHEN the client resets it
    request.reset();

    // THEN the stream and the exchange are closed, counted as the client's doing
    JsonObject stats = sim.awaitStats("primary", s -> s.getLong("client_closed") == 1);
    assertEquals(0, stats.getLong("open_streams"));
    assertEquals(0, stats.getLong("open_exchanges"));
  }
}
