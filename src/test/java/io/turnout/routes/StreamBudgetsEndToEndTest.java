package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream has its own budgets: the route's {@code timeout_ms} bounds the time to its first byte;
 * once it flows, the stream-idle timeout and {@code timeouts.max_stream_ms} bound it. A healthy
 * generation longer than the route's deadline is not cut and counted as a timeout.
 */
@ExtendWith(VertxExtension.class)
class StreamBudgetsEndToEndTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 400,
           enabled_features: [stream], rollback_route_version: chat-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  @Test
  void aHealthyStreamLongerThanTheRouteDeadlineIsNotCut(Vertx vertx) {
    // GIVEN a route deadline of 400 ms and a primary whose stream takes well over a second
    Sim sim = Sim.start(vertx);
    TestNode node = TestNode.start(vertx, TestNode.config(sim, 300, 300, 5_000), ROUTES);
    sim.script("primary", new JsonObject().put("chunk_interval_ms", 150));
    try {
      // WHEN a client asks for a stream
      long started = System.nanoTime();
      TestHttp.Response response = node.http().chat(ChatRequests.stream("chat"));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      // THEN the whole stream arrives, ended by [DONE], from the primary alone
      assertEquals(200, response.status(), response.text());
      List<String[]> events = response.events();
      assertEquals("[DONE]", events.get(events.size() - 1)[1], response.text());
      events.forEach(e -> assertTrue(e[0] == null, "an event of type " + e[0] + ": " + e[1]));
      assertTrue(elapsedMs > 400, "the stream outlived the route deadline (" + elapsedMs + " ms)");
      assertEquals("1", response.header("x-turnout-attempts"));
      assertEquals("none", response.header("x-turnout-fallback"));
      assertEquals(0, sim.requests("cometapi").size());
    } finally {
      node.stop();
    }
  }

  @Test
  void aStreamLongerThanMaxStreamMsEndsWithATimeoutErrorEvent(Vertx vertx) {
    // GIVEN a generous route deadline but a provider whose streams may flow for 300 ms at most
    Sim sim = Sim.start(vertx);
    String config = TestNode.config(sim, 300, 300, 5_000)
        .replace("total_ms: 5000}", "total_ms: 5000, max_stream_ms: 300}");
    TestNode node = TestNode.start(vertx, config, ROUTES.replace("timeout_ms: 400", "timeout_ms: 10000"));
    sim.script("primary", new JsonObject().put("chunk_interval_ms", 150));
    try {
      // WHEN a client asks for a stream that would take over a second
      TestHttp.Response response = node.http().chat(ChatRequests.stream("chat"));

      // THEN it is cut with a timeout error event, and not sent anywhere else
      assertEquals(200, response.status(), "headers went out with the first chunk");
      List<String[]> events = response.events();
      String[] last = events.get(events.size() - 1);
      assertEquals("error", last[0], response.text());
      assertEquals("timeout", new JsonObject(last[1]).getString("error_class"), last[1]);
      assertTrue(last[1].contains("maximum stream duration"), last[1]);
      assertEquals(0, sim.requests("cometapi").size());
    } finally {
      node.stop();
    }
  }
}
