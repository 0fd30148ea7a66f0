package io.turnout.dataplane.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drain after an operator moves a scope: attempts in flight on the version it left finish or are
 * cancelled ({@code routing.drain.in_flight}), and the connection pools of a provider no version
 * in force uses any more are closed, then reopened when a version uses it again.
 */
@ExtendWith(VertxExtension.class)
class DrainEndToEndTest {

  private static final String TOKEN = "admin-token-for-drain-tests";
  /** The scope serves chat-comet (CometAPI) and rolls back to chat-primary (primary), a baseline. */
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-primary}
      routes:
        - {route_version: chat-primary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-primary,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}
        - {route_version: chat-comet, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: cometapi, timeout_ms: 30000, rollback_route_version: chat-primary,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-comet}
      """;

  private static Vertx vertx;
  private static Sim sim;
  private TestNode node;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
    sim.reset("cometapi");
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void cancelMode_anAttemptInFlightOnTheVersionLeft_isCancelled_andTheRequestCompletesOnTheNewVersion()
      throws TimeoutException {
    // GIVEN a node that cancels attempts in flight, and CometAPI answering only after 20 s
    start("cancel");
    sim.script("cometapi", new JsonObject().put("latency_ms", 20_000));
    long closedBefore = clientClosed("cometapi");
    Future<TestHttp.Response> inFlight = post(ChatRequests.plain("chat"));
    awaitInFlight("cometapi");

    // WHEN the operator moves the scope to chat-primary
    activate("chat-primary");

    // THEN CometAPI sees the node leave, and the request is answered on the new version at once
    TestHttp.Response response = inFlight.await(10, TimeUnit.SECONDS);
    assertEquals(200, response.status(), response.text());
    assertEquals("chat-primary", response.header("x-turnout-route-version"));
    assertEquals("primary", response.header("x-turnout-provider"));
    assertEquals("2", response.header("x-turnout-attempts"));
    Eventually.await(vertx, "CometAPI sees the client close", 3_000,
        () -> clientClosed("cometapi") == closedBefore + 1);
    assertEquals(1, sim.requests("primary").size());
  }

  @Test
  void finishMode_anAttemptInFlightOnTheVersionLeft_finishesThere() throws TimeoutException {
    // GIVEN a node with the default drain mode, and CometAPI answering after 1 s
    start(null);
    sim.script("cometapi", new JsonObject().put("latency_ms", 1_000));
    long closedBefore = clientClosed("cometapi");
    Future<TestHttp.Response> inFlight = post(ChatRequests.plain("chat"));
    awaitInFlight("cometapi");

    // WHEN the operator moves the scope (and CometAPI's pools are released: no version uses it)
    activate("chat-primary");

    // THEN the attempt in flight finishes on the old version's provider, untouched
    TestHttp.Response response = inFlight.await(10, TimeUnit.SECONDS);
    assertEquals(200, response.status(), response.text());
    assertEquals("chat-comet", response.header("x-turnout-route-version"));
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals(closedBefore, clientClosed("cometapi"));
    assertEquals(0, sim.requests("primary").size());
    // AND the next request is served by the new version
    assertEquals("chat-primary", node.http().chat(ChatRequests.plain("chat")).header("x-turnout-route-version"));
  }

  @Test
  void cancelMode_aStreamThatAlreadySentAChunk_endsWithARouteDrainedErrorEvent() throws TimeoutException {
    // GIVEN a stream from CometAPI whose first chunk reached the client, the next one 20 s away
    start("cancel");
    sim.script("cometapi", new JsonObject().put("chunk_interval_ms", 20_000));
    long closedBefore = clientClosed("cometapi");
    Buffer received = Buffer.buffer();
    Promise<Void> ended = Promise.promise();
    node.http().raw().request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(node.port()).setURI("/v1/chat/completions"))
        .compose(r -> r.putHeader("content-type", "application/json").send(ChatRequests.stream("chat").toBuffer()))
        .onSuccess(r -> r.handler(received::appendBuffer).endHandler(v -> ended.tryComplete())
            .exceptionHandler(ended::tryFail));
    Eventually.await(vertx, "the first chunk reached the client", 3_000,
        () -> received.toString().contains("data: "));

    // WHEN the operator moves the scope
    activate("chat-primary");

    // THEN the stream ends with an error event that says why, never with [DONE], and CometAPI sees the node leave
    ended.future().await(10, TimeUnit.SECONDS);
    List<String[]> events = new TestHttp.Response(200, MultiMap.caseInsensitiveMultiMap(), received).events();
    String[] last = events.get(events.size() - 1);
    assertEquals("error", last[0], received.toString());
    JsonObject error = new JsonObject(last[1]);
    assertEquals("route_drained", error.getJsonObject("error").getString("code"));
    assertEquals("client_cancelled", error.getString("error_class"));
    assertTrue(error.getJsonObject("error").getString("message").contains("chat-primary"));
    assertFalse(received.toString().contains("[DONE]"));
    Eventually.await(vertx, "CometAPI sees the client close", 3_000,
        () -> clientClosed("cometapi") == closedBefore + 1);
    assertEquals(0, sim.requests("primary").size(), "a stream that started is never replayed elsewhere");
  }

  @Test
  void poolsOfAProviderNoVersionInForceUses_areClosed_andReopenWhenAVersionUsesItAgain() {
    // GIVEN traffic on chat-comet: the node keeps connections open to CometAPI
    start(null);
    for (int i = 0; i < 3; i++) {
      assertEquals("cometapi", node.http().chat(ChatRequests.plain("chat")).header("x-turnout-provider"));
    }
    assertTrue(sim.stats("cometapi").getLong("open_connections") > 0);
    assertEquals(1.0, poolOpen("cometapi"));
    assertEquals(0.0, poolOpen("claude"), "no version uses claude");

    // WHEN the operator moves the scope to chat-primary, which never sends to CometAPI
    activate("chat-primary");

    // THEN the node closes its connections to CometAPI, and says so
    Eventually.await(vertx, "CometAPI sees no open connection", 5_000,
        () -> sim.stats("cometapi").getLong("open_connections") == 0);
    assertEquals(0.0, poolOpen("cometapi"));
    assertEquals(1.0, poolOpen("primary"));

    // WHEN the operator moves the scope back
    activate("chat-comet");

    // THEN CometAPI is reached again over a new pool
    TestHttp.Response response = node.http().chat(ChatRequests.plain("chat"));
    assertEquals(200, response.status(), response.text());
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals(1.0, poolOpen("cometapi"));
    assertTrue(sim.stats("cometapi").getLong("open_connections") > 0);
  }

  private void start(String drainMode) {
    String yaml = TestNode.config(sim, 30_000, 30_000, 60_000)
        + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n";
    if (drainMode != null) {
      yaml = TestNode.replace(yaml, TestNode.ROUTING, TestNode.ROUTING + "  drain:\n    in_flight: " + drainMode + "\n");
    }
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    node = TestNode.start(vertx, yaml, ROUTES, env);
  }

  private Future<TestHttp.Response> post(JsonObject chat) {
    return node.http().raw().request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(node.port()).setURI("/v1/chat/completions"))
        .compose(r -> r.putHeader("content-type", "application/json").send(chat.toBuffer()))
        .compose(r -> r.body().map(b -> new TestHttp.Response(r.statusCode(), r.headers(), b)));
  }

  private static void awaitInFlight(String provider) {
    Eventually.await(vertx, provider + " has the request", 3_000,
        () -> sim.stats(provider).getInteger("open_exchanges") == 1);
  }

  private void activate(String version) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN)
        .add("content-type", "application/json");
    JsonObject body = new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat")
        .put("route_version", version).put("reason", "drain test");
    TestHttp.Response response = node.adminHttp().send(HttpMethod.POST, "/admin/scopes/activate", body.toBuffer(), headers);
    assertEquals(200, response.status(), response.text());
  }

  /** The simulator's counters live as long as the simulator: compare with a count taken before. */
  private static long clientClosed(String provider) {
    return sim.stats(provider).getLong("client_closed");
  }

  private double poolOpen(String provider) {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text())
        .value("turnout_provider_pool_open", "provider", provider);
  }
}
