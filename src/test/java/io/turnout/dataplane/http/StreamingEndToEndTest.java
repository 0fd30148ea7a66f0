package io.turnout.dataplane.http;

import static io.turnout.dataplane.http.ChatCompletionsEndToEndTest.userRequest;
import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Streams relayed chunk by chunk, and every way a stream can go wrong ending in an explicit error. */
@ExtendWith(VertxExtension.class)
class StreamingEndToEndTest {

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, sim, 1_000, 300, 5_000);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
    sim.reset("claude");
  }

  @Test
  void openAiStream_relayedAndEndedWithDone_usageKeptForUsButNotRelayedUnasked() {
    TestHttp.Response response = node.http().chat(stream("chat-primary", false));

    assertEquals(200, response.status());
    assertTrue(response.header("content-type").startsWith("text/event-stream"));
    assertEquals("primary", response.header("x-turnout-provider"));
    List<String[]> events = response.events();
    assertEquals("[DONE]", events.get(events.size() - 1)[1]);
    String content = contentOf(events);
    assertTrue(content.startsWith("Simulated answer"), content);
    events.subList(0, events.size() - 1).forEach(e -> assertNull(new JsonObject(e[1]).getValue("usage"), e[1]));
    // The node always asks the provider for usage, for its own accounting.
    JsonObject upstream = sim.requests("primary").getJsonObject(0).getJsonObject("body");
    assertEquals(true, upstream.getJsonObject("stream_options").getBoolean("include_usage"));
  }

  @Test
  void includeUsage_honoured_finalChunkHasUsageAndNoChoices() {
    List<String[]> events = node.http().chat(stream("chat-primary", true)).events();

    JsonObject usageChunk = new JsonObject(events.get(events.size() - 2)[1]);
    assertTrue(usageChunk.getJsonArray("choices").isEmpty());
    assertTrue(usageChunk.getJsonObject("usage").getInteger("total_tokens") > 0);
  }

  @Test
  void anthropicStream_translatedToOpenAiChunks() {
    TestHttp.Response response = node.http().chat(stream("chat-claude", true));

    List<String[]> events = response.events();
    assertEquals("[DONE]", events.get(events.size() - 1)[1]);
    JsonObject first = new JsonObject(events.get(0)[1]);
    assertEquals("chat.completion.chunk", first.getString("object"));
    assertEquals("assistant", first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"));
    assertTrue(contentOf(events).startsWith("Simulated answer"));
    assertTrue(new JsonObject(events.get(events.size() - 2)[1]).containsKey("usage"));
  }

  @Test
  void chunksReachTheClientWhileTheUpstreamStreamIsStillOpen() {
    // GIVEN a provider that pauses between stream events
    sim.script("primary", new JsonObject().put("chunk_interval_ms", 150));
    Promise<Void> firstChunk = Promise.promise();

    // WHEN the first chunk reaches the client
    HttpClientRequest request = node.http().raw().request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(node.port()).setURI("/v1/chat/completions")).await();
    request.response().onSuccess(response -> response.handler(buffer -> firstChunk.tryComplete()));
    request.putHeader("content-type", "application/json").end(stream("chat-primary", false).toBuffer());
    firstChunk.future().await();

    // THEN the provider is still streaming: the node relayed without buffering the answer
    assertEquals(1, sim.stats("primary").getInteger("open_streams"));
    Eventually.await(vertx, "the stream completes", 5_000, () -> sim.stats("primary").getInteger("open_streams") == 0);
  }

  @Test
  void streamCutMidway_endsWithAnErrorEvent_neverDone() {
    sim.nextFault("primary", fault("cut").put("after_chunks", 2));

    TestHttp.Response response = node.http().chat(stream("chat-primary", false));

    assertEquals(200, response.status(), "headers went out with the first chunk");
    List<String[]> events = response.events();
    String[] last = events.get(events.size() - 1);
    assertEquals("error", last[0]);
    JsonObject error = new JsonObject(last[1]);
    assertTrue(error.containsKey("error"), "the official SDKs raise on an 'error' key");
    assertTrue(Set.of("network", "malformed_response").contains(error.getString("error_class")), error.encode());
    events.forEach(e -> assertFalse("[DONE]".equals(e[1])));
  }

  @Test
  void errorChunkMidway_endsWithTheProvidersClassifiedError() {
    sim.nextFault("primary", fault("error_chunk").put("after_chunks", 1).put("error_type", "server_error"));

    List<String[]> events = node.http().chat(stream("chat-primary", false)).events();

    String[] last = events.get(events.size() - 1);
    assertEquals("error", last[0]);
    assertEquals("upstream_5xx", new JsonObject(last[1]).getString("error_class"));
  }

  @Test
  void stalledStream_idleTimeoutEndsItWithATimeoutError_andClosesUpstream() {
    sim.nextFault("primary", fault("stall").put("after_chunks", 1));
    int closedBefore = sim.stats("primary").getInteger("client_closed");

    List<String[]> events = node.http().chat(stream("chat-primary", false)).events();

    String[] last = events.get(events.size() - 1);
    assertEquals("error", last[0]);
    assertEquals("timeout", new JsonObject(last[1]).getString("error_class"));
    Eventually.await(vertx, "upstream stream closed", 3_000,
        () -> sim.stats("primary").getInteger("client_closed") > closedBefore);
  }

  @Test
  void failureBeforeTheFirstChunk_isAPlainJsonError() {
    sim.nextFault("primary", status(429).put("retry_after_s", 1));

    TestHttp.Response response = node.http().chat(stream("chat-primary", false));

    assertEquals(429, response.status());
    assertEquals("application/json", response.header("content-type"));
    assertEquals("rate_limited", response.header("x-turnout-error-class"));
  }

  @Test
  void clientDisconnectMidStream_closesTheUpstreamStream() {
    // GIVEN a stream that sends one chunk and then waits
    sim.nextFault("primary", fault("stall").put("after_chunks", 1));
    TestNode patient = TestNode.start(vertx, TestNode.config(sim, 5_000, 5_000, 10_000));
    int closedBefore = sim.stats("primary").getInteger("client_closed");
    try {
      // WHEN the client resets its request after the first chunk
      HttpClientRequest request = patient.http().raw().request(new RequestOptions().setMethod(HttpMethod.POST)
          .setHost("127.0.0.1").setPort(patient.port()).setURI("/v1/chat/completions")).await();
      Promise<Void> firstChunk = Promise.promise();
      request.response().onSuccess(response -> response.handler(buffer -> firstChunk.tryComplete()));
      request.putHeader("content-type", "application/json").end(stream("chat-primary", false).toBuffer());
      firstChunk.future().await();
      request.reset();

      // THEN the node closes the upstream stream long before any of its timeouts
      Eventually.await(vertx, "upstream stream closed after the client left", 3_000,
          () -> sim.stats("primary").getInteger("client_closed") > closedBefore);
      assertEquals(0, sim.stats("primary").getInteger("open_streams"));
    } finally {
      patient.stop();
    }
  }

  static JsonObject stream(String alias, boolean includeUsage) {
    JsonObject request = userRequest(alias).put("stream", true);
    return includeUsage ? request.put("stream_options", new JsonObject().put("include_usage", true)) : request;
  }

  static String contentOf(List<String[]> events) {
    StringBuilder content = new StringBuilder();
    for (String[] event : events) {
      if (event[1].equals("[DONE]")) {
        continue;
      }
      JsonObject chunk = new JsonObject(event[1]);
      if (!chunk.getJsonArray("choices").isEmpty()) {
        String piece = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
        content.append(piece == null ? "" : piece);
      }
    }
    return content.toString();
  }
}
