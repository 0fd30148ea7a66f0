package io.turnout.dataplane.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A refused request keeps who sent it and what it asked for, with the same error class in its
 * log line as in its metric; a client that leaves before its answer ends is a 499
 * {@code client_cancelled}, plain and streamed, never a 200.
 */
@ExtendWith(VertxExtension.class)
class RefusedAndCancelledRequestsTest {

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;
  private static LogCapture requestLog;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    requestLog = LogCapture.logger("turnout.request");
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 5_000, 5_000, 10_000) + TestNode.CLIENTS);
  }

  @AfterAll
  static void stop() {
    node.stop();
    requestLog.close();
  }

  @BeforeEach
  void reset() {
    sim.reset("primary");
  }

  @Test
  void a400AfterAuthentication_logsTheCallerAndTheAlias_andNoDeadline() {
    JsonObject bad = ChatRequests.plain("chat-primary").put("temperature", 7);

    TestHttp.Response response = node.http().chat(bad, ChatRequests.bearer("client-acme"));

    assertEquals(400, response.status(), response.text());
    JsonObject line = lineOf(response.header("x-request-id"));
    assertEquals("acme", line.getString("tenant_or_cohort"));
    assertEquals("acme", line.getString("tenant"));
    assertEquals("chat-primary", line.getString("app_model_alias"));
    assertNull(line.getValue("timeout_ms"), "no route deadline applied");
    assertNull(line.getValue("llm_route_version"));
    assertEquals("client_error", line.getString("error_class"));
    Exposition metrics = scrape();
    assertTrue(metrics.sum("turnout_requests_total", "status", "400", "error_class", "client_error") >= 1);
  }

  @Test
  void anUnknownAlias_logsTheAliasAskedFor_butTheMetricTagsNoClientInput() {
    TestHttp.Response response = node.http().chat(ChatRequests.plain("no-such-alias-7"),
        ChatRequests.bearer("client-internal"));

    assertEquals(404, response.status(), response.text());
    JsonObject line = lineOf(response.header("x-request-id"));
    assertEquals("internal", line.getString("tenant_or_cohort"));
    assertEquals("no-such-alias-7", line.getString("app_model_alias"));
    assertEquals("client_error", line.getString("error_class"));
    assertTrue(scrape().find("turnout_requests_total", "alias", "no-such-alias-7").isEmpty());
  }

  @Test
  void aClientThatLeavesAPlainRequest_isLoggedAndCountedAs499() throws Exception {
    sim.script("primary", new JsonObject().put("latency_ms", 3_000));
    double before = scrape().sum("turnout_requests_total", "status", "499", "error_class", "client_cancelled");
    String requestId = "leaves-plain-1";

    NetSocket socket = send(ChatRequests.plain("chat-primary"), requestId);
    Eventually.await(vertx, "the request reached the provider", 5_000, () -> sim.stats("primary")
        .getInteger("open_exchanges") > 0);
    socket.close().await();

    JsonObject line = lineOf(requestId);
    assertEquals(499, line.getInteger("http_status"));
    assertEquals("client_cancelled", line.getString("error_class"));
    Eventually.await(vertx, "the 499 counted", 5_000, () -> scrape().sum("turnout_requests_total", "status", "499",
        "error_class", "client_cancelled") == before + 1);
    assertEquals(0, scrape().sum("turnout_requests_total", "status", "200", "alias", "chat-primary",
        "error_class", "client_cancelled"));
  }

  @Test
  void aClientThatLeavesAStreamMidway_isLoggedAs499() throws Exception {
    sim.script("primary", new JsonObject().put("chunk_interval_ms", 300));
    String requestId = "leaves-stream-1";

    NetSocket socket = send(ChatRequests.stream("chat-primary"), requestId);
    Buffer received = Buffer.buffer();
    socket.handler(received::appendBuffer);
    Eventually.await(vertx, "the first chunk", 5_000, () -> received.toString().contains("data: {"));
    socket.close().await();

    JsonObject line = lineOf(requestId);
    assertEquals(499, line.getInteger("http_status"));
    assertEquals("client_cancelled", line.getString("error_class"));
  }

  private static NetSocket send(JsonObject body, String requestId) {
    NetSocket socket = vertx.createNetClient().connect(node.port(), "127.0.0.1").await();
    String json = body.encode();
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer client-acme\r\nx-request-id: " + requestId + "\r\nContent-Length: "
        + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + json);
    return socket;
  }

  private static JsonObject lineOf(String requestId) {
    Eventually.await(vertx, "the line of " + requestId, 5_000, () -> !lines(requestId).isEmpty());
    List<JsonObject> lines = lines(requestId);
    assertEquals(1, lines.size(), lines.toString());
    return lines.get(0);
  }

  private static List<JsonObject> lines(String requestId) {
    return requestLog.json().stream().filter(l -> requestId.equals(l.getString("request_id"))).toList();
  }

  private static Exposition scrape() {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text());
  }
}
