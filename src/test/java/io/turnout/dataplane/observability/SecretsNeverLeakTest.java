package io.turnout.dataplane.observability;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.malformed;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import io.turnout.dataplane.bus.ChatBusApi;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Canary secrets and a canary prompt go through every path the node has (success, every failure
 * class the simulator produces, a real key mismatch, fallback, streams, the event bus, refused
 * requests), with every logger at DEBUG and captured by the production encoder; none of them may
 * show up in a log line, on {@code /metrics}, or in anything a client gets back.
 *
 * <p>No admin token is tested: the node has no admin API yet, so its config references none.
 * The simulator's own request log ({@code /_sim/.../requests}) holds request bodies on purpose
 * (it plays the provider) and is not scanned; the simulator runs inside the capture, so a body it
 * logged would be caught.
 */
@ExtendWith(VertxExtension.class)
class SecretsNeverLeakTest {

  // Each canary ends in a tail of its own, so a log that kept only part of a key is caught too.
  private static final String PRIMARY_KEY = "sk-canary-primary-5f1e2d3c4b";
  private static final String COMETAPI_KEY = "sk-canary-cometapi-9a8b7c6d5e";
  private static final String CLAUDE_KEY = "sk-ant-canary-claude-0e1f2a3b4c";
  /** A key the node sends but its provider does not accept: a real auth failure. */
  private static final String STALE_KEY = "sk-canary-stale-77aa66bb55";
  private static final String CLIENT_KEY = "tk-canary-client-3c2b1a0f9e";
  private static final String WRONG_CLIENT_KEY = "tk-canary-wrong-8d7e6f5a4b";
  private static final String PROMPT = "CANARY-PROMPT-d41d8cd9";

  private static final List<String> SECRETS = List.of(PRIMARY_KEY, COMETAPI_KEY, CLAUDE_KEY, STALE_KEY, CLIENT_KEY,
      WRONG_CLIENT_KEY);

  private final List<String> seenByClients = new ArrayList<>();

  @Test
  void noCanaryAppearsInLogsMetricsOrAnswers(Vertx vertx) {
    String logs;
    String metrics;
    String completion;
    try (LogCapture capture = LogCapture.everythingAtDebug()) {
      assertTrue(LoggerFactory.getLogger("io.netty.handler.codec.http").isDebugEnabled());
      assertTrue(LoggerFactory.getLogger("io.vertx.core.http").isDebugEnabled());
      assertTrue(LoggerFactory.getLogger("com.hazelcast.cluster").isDebugEnabled());

      // GIVEN a simulator and a node configured with canary keys
      Sim sim = Sim.start(vertx, PRIMARY_KEY, COMETAPI_KEY, CLAUDE_KEY);
      TestNode node = TestNode.start(vertx, config(sim), routes(), Map.of("PRIMARY_KEY", PRIMARY_KEY, "COMETAPI_KEY",
          COMETAPI_KEY, "CLAUDE_KEY", CLAUDE_KEY, "STALE_KEY", STALE_KEY, "ACME_CLIENT_KEY", CLIENT_KEY,
          "INTERNAL_CLIENT_KEY", "client-internal-not-a-canary"));

      // WHEN canary prompts go through every path
      completion = successes(node, sim);
      failures(node, sim);
      fallback(node, sim);
      eventBus(vertx);
      refused(node);
      metrics = send(node, HttpMethod.GET, "/metrics", null, MultiMap.caseInsensitiveMultiMap()).text();
      send(node, HttpMethod.GET, "/health/ready", null, MultiMap.caseInsensitiveMultiMap());
      send(node, HttpMethod.GET, "/v1/models", null, auth(CLIENT_KEY));

      node.stop();
      logs = capture.text();
      assertTrue(capture.lines().stream().anyMatch(l -> l.contains("\"logger_name\":\"turnout.request\"")
          && l.contains("\"llm_route_version\":\"primary-v1\"")), "the capture holds the encoded request lines");
      assertTrue(((LoggerContext) LoggerFactory.getILoggerFactory()).getLoggerList().stream()
          .anyMatch(l -> l.getName().startsWith("io.vertx.")), "Vert.x logs through SLF4J, so it was captured");
    }
    assertFalse(LoggerFactory.getLogger("io.netty.handler.codec.http").isDebugEnabled(), "levels restored");

    // THEN no secret and no prompt appears anywhere; the completion only where the client asked for it
    String answers = String.join("\n", seenByClients);
    for (String secret : SECRETS) {
      assertAbsent(secret, logs, metrics, answers);
      assertAbsent(tail(secret), logs, metrics, answers);
    }
    assertAbsent(PROMPT, logs, metrics, answers);
    assertTrue(completion.startsWith("Simulated answer from primary"), completion);
    assertAbsent(completion, logs, metrics, "");
    assertAbsent("Simulated answer from", logs, metrics, "");
  }

  /** Completions on both contracts, plain and streamed; returns the primary's completion text. */
  private String successes(TestNode node, Sim sim) {
    TestHttp.Response plain = ok(chat(node, request("chat-primary")));
    ok(chat(node, request("chat-claude")));
    // The canaries really travel: the providers got the prompt and accepted the node's keys.
    JsonObject upstream = sim.requests("primary").getJsonObject(0);
    assertTrue(upstream.getJsonObject("body").encode().contains(PROMPT));
    assertTrue(upstream.getBoolean("auth_ok"));
    assertTrue(sim.requests("claude").getJsonObject(0).getBoolean("auth_ok"));
    ok(chat(node, request("chat-primary").put("stream", true).put("stream_options",
        new JsonObject().put("include_usage", true))));
    ok(chat(node, request("chat-claude").put("stream", true)));
    return plain.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }

  /** Every failure class the simulator can produce, plain and streamed, and a key the provider refuses. */
  private void failures(TestNode node, Sim sim) {
    List<JsonObject> plainFaults = List.of(status(401), status(400), status(429).put("retry_after_s", 1), status(500),
        malformed("not_json"), malformed("missing_choices"), malformed("bad_usage"), fault("wrong_content_type"),
        fault("hang"), fault("reset"), fault("cut"));
    for (JsonObject f : plainFaults) {
      sim.nextFault("primary", f);
      assertFailed(chat(node, request("chat-primary")));
    }
    List<JsonObject> streamFaults = List.of(fault("cut").put("after_chunks", 1),
        fault("error_chunk").put("after_chunks", 1), fault("stall").put("after_chunks", 1), fault("hang"),
        status(401), malformed("missing_finish_reason"));
    for (JsonObject f : streamFaults) {
      sim.nextFault("primary", f);
      chat(node, request("chat-primary").put("stream", true));
    }
    for (JsonObject f : List.of(status(401), status(529), fault("hang"))) {
      sim.nextFault("claude", f);
      assertFailed(chat(node, request("chat-claude")));
    }
    TestHttp.Response stale = chat(node, request("chat-stale"));
    assertEquals("auth", stale.header("x-turnout-error-class"), stale.text());
    sim.reset("primary");
    sim.reset("claude");
  }

  private void fallback(TestNode node, Sim sim) {
    sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("times", 2))));
    TestHttp.Response response = ok(chat(node, request("chat-fb")));
    assertEquals("fallback", response.header("x-turnout-route"));
    sim.reset("primary");
  }

  private void eventBus(Vertx vertx) {
    Message<Object> reply = vertx.eventBus().request(ChatBusApi.ADDRESS, request("chat-primary"),
        new DeliveryOptions().addHeader("authorization", "Bearer " + CLIENT_KEY)).await();
    seenByClients.add(reply.body().toString());
    reply.headers().forEach(h -> seenByClients.add(h.getKey() + ": " + h.getValue()));
    busFailure(vertx, request("chat-primary"), "Bearer " + WRONG_CLIENT_KEY);
    busFailure(vertx, request("chat-primary").put("messages", new JsonArray().add(new JsonObject()
        .put("role", "robot").put("content", PROMPT))), "Bearer " + CLIENT_KEY);
    busFailure(vertx, request("no-such-alias"), "Bearer " + CLIENT_KEY);
    busFailure(vertx, request("chat-stale"), "Bearer " + CLIENT_KEY);
  }

  private void busFailure(Vertx vertx, JsonObject body, String authorization) {
    try {
      vertx.eventBus().request(ChatBusApi.ADDRESS, body, new DeliveryOptions().addHeader("authorization",
          authorization)).await();
      throw new AssertionError("expected the bus request to fail: " + body);
    } catch (ReplyException failure) {
      seenByClients.add(failure.failureCode() + " " + failure.getMessage());
    }
  }

  /** Requests the node refuses itself, each carrying a canary. */
  private void refused(TestNode node) {
    assertEquals(401, chat(node, request("chat-primary"), auth(WRONG_CLIENT_KEY)).status());
    assertEquals(401, chat(node, request("chat-primary"), MultiMap.caseInsensitiveMultiMap()
        .add("authorization", WRONG_CLIENT_KEY)).status());
    JsonObject badRole = request("chat-primary");
    badRole.getJsonArray("messages").getJsonObject(0).put("role", "robot");
    assertEquals(400, chat(node, badRole).status());
    assertEquals(400, chat(node, request("chat-primary").put("temperature", PROMPT)).status());
    assertEquals(404, chat(node, request("no-such-alias")).status());
    String text = request("chat-primary").encode();
    assertEquals(400, send(node, HttpMethod.POST, "/v1/chat/completions",
        Buffer.buffer(text.substring(0, text.indexOf(PROMPT) + PROMPT.length())), json(auth(CLIENT_KEY))).status());
    JsonObject big = request("chat-primary");
    big.getJsonArray("messages").getJsonObject(0).put("content", PROMPT.repeat(1_000));
    assertEquals(413, chat(node, big).status());
    assertEquals(415, send(node, HttpMethod.POST, "/v1/chat/completions", request("chat-primary").toBuffer(),
        auth(CLIENT_KEY).add("content-type", "text/plain")).status());
  }

  private TestHttp.Response chat(TestNode node, JsonObject body) {
    return chat(node, body, auth(CLIENT_KEY));
  }

  private TestHttp.Response chat(TestNode node, JsonObject body, MultiMap headers) {
    return send(node, HttpMethod.POST, "/v1/chat/completions", body.toBuffer(), json(headers));
  }

  /** Sends, and keeps everything the client sees: status, headers and body. */
  private TestHttp.Response send(TestNode node, HttpMethod method, String uri, Buffer body, MultiMap headers) {
    TestHttp.Response response = node.http().send(method, uri, body, headers);
    StringBuilder seen = new StringBuilder().append(response.status()).append('\n');
    response.headers().forEach(h -> seen.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
    seenByClients.add(seen.append(response.text()).toString());
    return response;
  }

  private static void assertAbsent(String canary, String logs, String metrics, String answers) {
    assertFalse(logs.contains(canary), "'" + canary + "' in the logs: " + around(logs, canary));
    assertFalse(metrics.contains(canary), "'" + canary + "' on /metrics: " + around(metrics, canary));
    assertFalse(answers.contains(canary), "'" + canary + "' in an answer: " + around(answers, canary));
  }

  private static String around(String text, String canary) {
    int at = text.indexOf(canary);
    return at < 0 ? "" : text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 200));
  }

  /** The random part of a canary: what a log that masked the prefix would still show. */
  private static String tail(String secret) {
    return secret.substring(secret.lastIndexOf('-') + 1);
  }

  private static TestHttp.Response ok(TestHttp.Response response) {
    assertEquals(200, response.status(), response.text());
    return response;
  }

  private static void assertFailed(TestHttp.Response response) {
    assertTrue(response.status() >= 400, response.status() + " " + response.text());
  }

  private static MultiMap auth(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + key);
  }

  private static MultiMap json(MultiMap headers) {
    if (!headers.contains("content-type")) {
      headers.add("content-type", "application/json");
    }
    return headers;
  }

  private static JsonObject request(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket " + PROMPT + " please.")));
  }

  /** Short timeouts so hangs and stalls resolve fast; a fourth provider whose key the simulator refuses. */
  private static String config(Sim sim) {
    return TestNode.config(sim, 300, 300, 1_000)
        .replace("http:\n", "http:\n  max_body_bytes: 8192\n")
        + "  stale:\n    kind: openai\n    base_url: " + sim.baseUrl("cometapi") + "\n    auth: {key: \"${STALE_KEY}\"}\n"
        + TestNode.CLIENTS;
  }

  private static String routes() {
    return ObservedRoutes.MAP
        .replace("aliases:\n", "aliases:\n  chat-stale: {provider_models: {stale: gpt-4o-mini}, rollback_target: stale-v1}\n")
        .replace("routes:\n", "routes:\n  - {route_version: stale-v1, environment: production, tenant_or_cohort: \"*\","
            + " model_alias: chat-stale, mode: primary_only, primary_provider: stale, timeout_ms: 5000,"
            + " rollback_route_version: stale-v1, owner: tests}\n")
        .replace("active:\n", "active:\n  - {environment: production, tenant_or_cohort: \"*\", model_alias: chat-stale,"
            + " route_version: stale-v1}\n");
  }
}
