package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.simulator.SimTestSupport.Capture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Status faults, fault selection (times, seeded shares) and latency. */
@ExtendWith(VertxExtension.class)
class SimStatusFaultTest {

  private SimTestSupport sim;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimTestSupport.start(vertx);
  }

  @Test
  void openAiRateLimitCarriesRetryAfterAndTheOpenAiShape() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"status\", \"status\": 429, \"retry_after_s\": 1, \"times\": 1}]}");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("hi"));

    assertEquals(429, reply.status());
    assertEquals("1", reply.header("retry-after"));
    assertEquals("sim-primary-1", reply.header("x-request-id"));
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("requests", error.getString("type"));
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertTrue(error.containsKey("param"));
    assertTrue(error.getString("message").length() > 0);
  }

  @Test
  void openAiErrorTypesFollowTheStatusAndErrorCodeOverridesTheCode() {
    sim.putScript("primary", """
        {"faults": [
          {"kind": "status", "status": 500, "times": 1},
          {"kind": "status", "status": 400, "error_code": "content_filter", "times": 1},
          {"kind": "status", "status": 403, "times": 1}]}""");

    JsonObject e500 = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a")).json().getJsonObject("error");
    Capture r400 = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));
    JsonObject e403 = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a")).json().getJsonObject("error");

    assertEquals("server_error", e500.getString("type"));
    assertNull(e500.getValue("code"));
    assertEquals(400, r400.status());
    assertEquals("invalid_request_error", r400.json().getJsonObject("error").getString("type"));
    assertEquals("content_filter", r400.json().getJsonObject("error").getString("code"));
    assertEquals("permission_error", e403.getString("type"));
  }

  @Test
  void anthropicErrorsUseTheAnthropicShape() {
    sim.putScript("claude", """
        {"faults": [
          {"kind": "status", "status": 529, "times": 1},
          {"kind": "status", "status": 429, "retry_after_s": 7, "times": 1},
          {"kind": "status", "status": 500, "times": 1}]}""");

    Capture overloaded = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a"));
    Capture limited = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a"));
    Capture failed = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a"));

    assertEquals(529, overloaded.status());
    assertEquals("error", overloaded.json().getString("type"));
    assertEquals("overloaded_error", overloaded.json().getJsonObject("error").getString("type"));
    assertEquals("req_sim_1", overloaded.json().getString("request_id"));
    assertEquals("req_sim_1", overloaded.header("request-id"));
    assertEquals("rate_limit_error", limited.json().getJsonObject("error").getString("type"));
    assertEquals("7", limited.header("retry-after"));
    assertEquals("api_error", failed.json().getJsonObject("error").getString("type"));
  }

  @Test
  void rawBodyIsSentAsIs() {
    sim.putScript("primary", """
        {"faults": [{"kind": "status", "status": 503, "body": "<html><body>503 Service Unavailable</body></html>",
                     "content_type": "text/html", "times": 1}]}""");

    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(503, reply.status());
    assertEquals("text/html", reply.header("content-type"));
    assertEquals("<html><body>503 Service Unavailable</body></html>", reply.body());
  }

  @Test
  void timesFaultsFireExactlyThatOftenInListOrderThenNormal() {
    sim.putScript("primary", """
        {"faults": [{"kind": "status", "status": 500, "times": 2}, {"kind": "status", "status": 503, "times": 1}]}""");

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a")).status());
    }

    assertEquals(List.of(500, 500, 503, 200, 200), statuses);
  }

  @Test
  void seededSharesAreReproducible() {
    String script = """
        {"seed": 42, "faults": [{"kind": "status", "status": 500, "share": 0.3},
                                {"kind": "status", "status": 503, "share": 0.2}]}""";
    sim.putScript("primary", script);
    List<Integer> first = statuses(40);
    sim.putScript("primary", script); // a new PUT re-seeds
    List<Integer> second = statuses(40);
    sim.putScript("primary", script.replace("42", "43"));
    List<Integer> otherSeed = statuses(40);

    assertEquals(first, second);
    assertNotEquals(first, otherSeed);
    assertTrue(first.contains(200) && first.contains(500) && first.contains(503), first.toString());
  }

  @Test
  void latencyDelaysTheFirstByteOfErrorsToo() {
    sim.putScript("primary", "{\"latency_ms\": 150, \"faults\": [{\"kind\": \"status\", \"status\": 500, \"times\": 1}]}");

    long start = System.nanoTime();
    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals(500, reply.status());
    assertTrue(elapsedMs >= 150, "took " + elapsedMs + " ms");
  }

  private List<Integer> statuses(int n) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a")).status());
    }
    return statuses;
  }
}
