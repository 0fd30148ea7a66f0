package io.turnout.dataplane.http;

import static io.turnout.dataplane.http.ChatCompletionsEndToEndTest.userRequest;
import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.malformed;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
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
 * Every failure class, produced by the real simulator, as the client sees it: status, OpenAI's
 * error shape and the node's headers.
 */
@ExtendWith(VertxExtension.class)
class FailureClassesEndToEndTest {

  private static final Set<String> ERROR_FIELDS = Set.of("message", "type", "param", "code");

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    // Short first-byte and total timeouts so hangs resolve quickly.
    node = TestNode.start(vertx, sim, 400, 400, 1_500);
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

  static Stream<Arguments> faults() {
    return Stream.of(
        // provider, fault, status, class, error code
        Arguments.of("primary", status(401), 502, "auth", "upstream_auth_failed"),
        Arguments.of("primary", status(403), 502, "auth", "upstream_auth_failed"),
        Arguments.of("primary", status(400), 400, "validation", null),
        Arguments.of("primary", status(404), 404, "validation", null),
        Arguments.of("primary", status(413), 413, "validation", null),
        Arguments.of("primary", status(422), 422, "validation", null),
        Arguments.of("primary", status(500).put("error_code", "invalid_request"), 400, "validation", "invalid_request"),
        Arguments.of("primary", status(400).put("error_code", "content_filter"), 400, "content_policy", "content_filter"),
        Arguments.of("primary", status(429).put("retry_after_s", 3), 429, "rate_limited", "rate_limit_exceeded"),
        Arguments.of("primary", status(500), 502, "upstream_5xx", "upstream_error"),
        Arguments.of("primary", status(503), 502, "upstream_5xx", "upstream_error"),
        Arguments.of("primary", status(503).put("body", "<html>Service Unavailable</html>")
            .put("content_type", "text/html"), 502, "upstream_5xx", "upstream_error"),
        Arguments.of("primary", malformed("not_json"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("empty_body"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("missing_id"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("missing_choices"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("missing_message"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("missing_finish_reason"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("bad_usage"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", malformed("wrong_object"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", fault("wrong_content_type"), 502, "malformed_response", "malformed_response"),
        Arguments.of("primary", fault("hang"), 504, "timeout", "upstream_timeout"),
        Arguments.of("primary", fault("reset"), 502, "network", "upstream_unreachable"),
        Arguments.of("primary", fault("cut"), 502, "network", "upstream_unreachable"),
        Arguments.of("claude", status(401), 502, "auth", "upstream_auth_failed"),
        Arguments.of("claude", status(429).put("retry_after_s", 2), 429, "rate_limited", "rate_limit_exceeded"),
        Arguments.of("claude", status(529), 502, "upstream_5xx", "upstream_error"),
        Arguments.of("claude", malformed("missing_stop_reason"), 502, "malformed_response", "malformed_response"),
        Arguments.of("claude", fault("hang"), 504, "timeout", "upstream_timeout"));
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @MethodSource("faults")
  void eachFailureClassReachesTheClientClassified(String provider, JsonObject fault, int status, String errorClass,
      String code) {
    // GIVEN the provider fails the next request this way
    sim.nextFault(provider, fault);

    // WHEN a client asks
    TestHttp.Response response = node.http().chat(userRequest("primary".equals(provider) ? "chat-primary" : "chat-claude"));

    // THEN it gets the class's status, OpenAI's error shape and the node's headers
    assertEquals(status, response.status(), response.text());
    assertEquals(errorClass, response.header("x-turnout-error-class"));
    assertEquals(provider, response.header("x-turnout-provider"));
    assertTrue(response.header("x-request-id").startsWith("req_"));
    assertEquals("application/json", response.header("content-type"));
    JsonObject error = response.json().getJsonObject("error");
    assertEquals(Set.of("error"), response.json().fieldNames());
    assertEquals(ERROR_FIELDS, error.fieldNames());
    assertFalse(error.getString("message").isBlank());
    if (code != null) {
      assertEquals(code, error.getString("code"));
    }
    if (fault.containsKey("retry_after_s")) {
      assertEquals(fault.getInteger("retry_after_s").toString(), response.header("retry-after"));
    }
    if (errorClass.equals("auth") || errorClass.equals("validation") || errorClass.equals("content_policy")) {
      assertEquals("false", response.header("x-should-retry"), "a retry cannot help: tell the SDK not to");
    } else {
      assertNull(response.header("x-should-retry"));
    }
    assertEquals(1, sim.requests(provider).size(), "exactly one upstream attempt");
  }

  @Test
  void authFailureNeverRelaysTheProvidersMessage() {
    sim.nextFault("primary", status(401));

    TestHttp.Response response = node.http().chat(userRequest("chat-primary"));

    assertEquals("the provider rejected the node's credentials",
        response.json().getJsonObject("error").getString("message"));
  }

  @Test
  void hangingProvider_timeoutClosesTheUpstreamRequest() {
    sim.nextFault("primary", fault("hang"));
    int closedBefore = sim.stats("primary").getInteger("client_closed");

    assertEquals(504, node.http().chat(userRequest("chat-primary")).status());

    Eventually.await(vertx, "the simulator sees the node close the hanging request", 3_000,
        () -> sim.stats("primary").getInteger("client_closed") > closedBefore);
    assertEquals(0, sim.stats("primary").getInteger("open_exchanges"));
  }

  @Test
  void clientGoingAway_cancelsTheUpstreamRequest() {
    // GIVEN a provider that takes long to answer (no timeout fires within the test)
    sim.script("primary", new JsonObject().put("latency_ms", 1_200));
    int closedBefore = sim.stats("primary").getInteger("client_closed");
    TestHttp client = new TestHttp(vertx, node.port());

    // WHEN the client sends and then resets its request once the provider has it
    var request = client.raw().request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(node.port()).setURI("/v1/chat/completions")).await();
    request.putHeader("content-type", "application/json").end(userRequest("chat-primary").toBuffer());
    Eventually.await(vertx, "the provider receives the request", 3_000,
        () -> sim.stats("primary").getInteger("open_exchanges") == 1);
    request.reset();

    // THEN the node resets its upstream request: no generation is left running
    Eventually.await(vertx, "the simulator sees the upstream request closed", 3_000,
        () -> sim.stats("primary").getInteger("client_closed") > closedBefore);
    client.close().await();
  }

  @Test
  void unreachableProvider_isANetworkFailure(Vertx vertx) {
    // GIVEN a provider URL where nothing listens (a port taken and released)
    NetServer server = vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1").await();
    int deadPort = server.actualPort();
    server.close().await();
    String yaml = TestNode.config(sim, 400, 400, 1_500).replace(sim.baseUrl("primary"), "http://127.0.0.1:" + deadPort);
    TestNode broken = TestNode.start(vertx, yaml);
    try {
      TestHttp.Response response = broken.http().chat(userRequest("chat-primary"));

      assertEquals(502, response.status());
      assertEquals("network", response.header("x-turnout-error-class"));
      assertEquals("upstream_unreachable", response.json().getJsonObject("error").getString("code"));
    } finally {
      broken.stop();
    }
  }

  @Test
  void totalTimeout_boundsASlowAnswer() {
    // GIVEN headers arrive in time but the whole answer would take longer than total_ms
    sim.script("primary", new JsonObject().put("latency_ms", 300));
    String yaml = TestNode.config(sim, 1_000, 1_000, 150);
    TestNode strict = TestNode.start(vertx, yaml);
    try {
      TestHttp.Response response = strict.http().chat(userRequest("chat-primary"));

      assertEquals(504, response.status());
      assertTrue(response.json().getJsonObject("error").getString("message").contains("150 ms"),
          response.json().encode());
    } finally {
      strict.stop();
    }
  }
}
