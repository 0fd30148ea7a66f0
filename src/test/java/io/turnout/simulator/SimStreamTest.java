package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.simulator.SimTestSupport.Capture;
import io.turnout.simulator.SimTestSupport.Event;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Streaming answers, for both contracts. */
@ExtendWith(VertxExtension.class)
class SimStreamTest {

  private SimTestSupport sim;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimTestSupport.start(vertx);
  }

  @Test
  void openAiStreamIsChunksThenDone() {
    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("hi").put("stream", true));

    assertEquals(200, reply.status());
    assertTrue(reply.ended());
    assertTrue(reply.header("content-type").startsWith("text/event-stream"));
    assertEquals("sim-primary-1", reply.header("x-request-id"));
    List<Event> events = reply.events();
    assertEquals("[DONE]", events.get(events.size() - 1).data());
    List<JsonObject> chunks = reply.dataObjects();
    JsonObject first = chunks.get(0).getJsonArray("choices").getJsonObject(0);
    assertEquals(new JsonObject().put("role", "assistant").put("content", ""), first.getJsonObject("delta"));
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks) {
      assertEquals("chatcmpl-sim-primary-1", chunk.getString("id"));
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      assertEquals("gpt-sim-1", chunk.getString("model"));
      assertFalse(chunk.containsKey("usage"), "no usage without include_usage");
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      text.append(choice.getJsonObject("delta").getString("content", ""));
    }
    assertEquals("Simulated answer from primary (2 messages).", text.toString());
    assertTrue(chunks.size() >= 4, "role, some pieces, finish");
    JsonObject last = chunks.get(chunks.size() - 1).getJsonArray("choices").getJsonObject(0);
    assertEquals("stop", last.getString("finish_reason"));
    for (JsonObject chunk : chunks.subList(0, chunks.size() - 1)) {
      assertNull(chunk.getJsonArray("choices").getJsonObject(0).getValue("finish_reason"));
    }
  }

  @Test
  void openAiIncludeUsageAddsAFinalUsageChunk() {
    JsonObject request = SimTestSupport.openAiRequest("hi").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true));

    List<JsonObject> chunks = sim.send(SimTestSupport.openAi(), request).dataObjects();

    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    assertEquals(new JsonArray(), usageChunk.getJsonArray("choices"));
    JsonObject usage = usageChunk.getJsonObject("usage");
    assertEquals(usage.getLong("prompt_tokens") + usage.getLong("completion_tokens"), usage.getLong("total_tokens"));
    assertTrue(chunks.get(0).containsKey("usage") && chunks.get(0).getValue("usage") == null);
  }

  @Test
  void openAiIncludeUsageIsIgnoredWithoutUsageTelemetry() {
    sim.putScript("primary", "{\"usage\": false}");
    JsonObject request = SimTestSupport.openAiRequest("hi").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true));

    List<JsonObject> chunks = sim.send(SimTestSupport.openAi(), request).dataObjects();

    chunks.forEach(c -> assertFalse(c.containsKey("usage")));
    assertEquals("stop", chunks.get(chunks.size() - 1).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
  }

  @Test
  void openAiStreamsAToolCall() {
    JsonObject request = SimTestSupport.openAiRequest("weather?").put("stream", true).put("tools", JsonArray.of(
        new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "get_weather"))));

    List<JsonObject> chunks = sim.send(SimTestSupport.openAi(), request).dataObjects();

    StringBuilder arguments = new StringBuilder();
    String name = null;
    for (JsonObject chunk : chunks) {
      JsonArray calls = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls");
      if (calls != null) {
        JsonObject function = calls.getJsonObject(0).getJsonObject("function");
        name = function.getString("name", name);
        arguments.append(function.getString("arguments", ""));
      }
    }
    assertEquals("get_weather", name);
    assertEquals("{}", arguments.toString());
    assertEquals("tool_calls",
        chunks.get(chunks.size() - 1).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
  }

  @Test
  void anthropicStreamHasTheFullEventSequence() {
    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("hi").put("stream", true));

    assertEquals(200, reply.status());
    assertTrue(reply.header("content-type").startsWith("text/event-stream"));
    assertEquals("req_sim_1", reply.header("request-id"));
    List<Event> events = reply.events();
    List<String> names = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Event e : events) {
      names.add(e.name());
      JsonObject data = new JsonObject(e.data());
      assertEquals(e.name(), data.getString("type"), "event name and data type agree");
      if (e.name().equals("content_block_delta")) {
        assertEquals("text_delta", data.getJsonObject("delta").getString("type"));
        text.append(data.getJsonObject("delta").getString("text"));
      }
    }
    assertEquals(List.of("message_start", "ping", "content_block_start"), names.subList(0, 3));
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"), names.subList(names.size() - 3, names.size()));
    assertEquals("Simulated answer from claude (1 message).", text.toString());
    JsonObject start = new JsonObject(events.get(0).data()).getJsonObject("message");
    assertEquals("msg_sim_claude_1", start.getString("id"));
    assertEquals("claude-sim-1", start.getString("model"));
    JsonObject delta = new JsonObject(events.get(events.size() - 2).data());
    assertEquals("end_turn", delta.getJsonObject("delta").getString("stop_reason"));
    assertEquals(text.length() / 4 + 1, delta.getJsonObject("usage").getLong("output_tokens"));
  }

  @Test
  void anthropicStreamsAToolUse() {
    JsonObject request = SimTestSupport.anthropicRequest("weather?").put("stream", true)
        .put("tools", JsonArray.of(new JsonObject().put("name", "get_weather")));

    List<Event> events = sim.send(SimTestSupport.anthropic(), request).events();

    JsonObject block = new JsonObject(events.get(2).data()).getJsonObject("content_block");
    assertEquals("tool_use", block.getString("type"));
    assertEquals("get_weather", block.getString("name"));
    JsonObject delta = new JsonObject(events.get(3).data()).getJsonObject("delta");
    assertEquals("input_json_delta", delta.getString("type"));
    assertEquals("{}", delta.getString("partial_json"));
    assertEquals("tool_use",
        new JsonObject(events.get(events.size() - 2).data()).getJsonObject("delta").getString("stop_reason"));
  }

  @Test
  void eventsArriveOneByOneAtTheChunkInterval() {
    // GIVEN a 40 ms interval between events
    sim.putScript("primary", "{\"chunk_interval_ms\": 40}");

    // WHEN a stream is read, noting when each piece of the body arrives
    List<Long> arrivals = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    sim.client.request(SimTestSupport.openAi()).compose(request ->
        request.send(SimTestSupport.openAiRequest("hi").put("stream", true).toBuffer())).onSuccess(response -> {
          response.handler(b -> arrivals.add(System.nanoTime()));
          response.endHandler(v -> ended.complete());
        });
    ended.future().await();

    // THEN events came as separate writes spread over the stream, not in one buffered block
    assertTrue(arrivals.size() >= 5, "arrivals: " + arrivals.size());
    long spreadMs = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
    assertTrue(spreadMs >= 40L * (arrivals.size() - 2), "spread " + spreadMs + " ms over " + arrivals.size());
  }
}
