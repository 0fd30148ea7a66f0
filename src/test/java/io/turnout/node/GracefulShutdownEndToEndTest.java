package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGTERM's path ({@link Node#shutdown()}): readiness turns DOWN at once, connections are still
 * accepted for the drain delay and refused after it, every request in flight finishes with its
 * whole answer, and a stream still running at the end of the grace period ends with an SSE error
 * event, not a cut connection. Every request gets its log line.
 */
@ExtendWith(VertxExtension.class)
class GracefulShutdownEndToEndTest {

  private Vertx vertx;
  private Sim sim;
  private LogCapture requestLog;

  @BeforeEach
  void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    requestLog = LogCapture.logger("turnout.request");
  }

  @AfterEach
  void stop() {
    requestLog.close();
  }

  private TestNode node(long drainDelayMs, long graceMs) {
    return TestNode.start(vertx, TestNode.config(sim, 5_000, 5_000, 10_000).replace("  instances: 1\n",
        "  instances: 1\n  drain_delay_ms: " + drainDelayMs + "\n  shutdown_grace_ms: " + graceMs + "\n"));
  }

  @Test
  void requestsInFlight_allFinishWithTheirWholeAnswer_andReadinessTurnsDownAtOnce() throws Exception {
    TestNode node = node(400, 5_000);
    int port = node.port();
    sim.script("primary", new JsonObject().put("latency_ms", 800).put("chunk_interval_ms", 40));
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port)
        .setDefaultHost("127.0.0.1"), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(20));
    TestHttp http = new TestHttp(vertx, port);
    try {
      // GIVEN 12 plain requests and 3 streams in flight
      List<Future<TestHttp.Response>> plain = new ArrayList<>();
      List<Future<TestHttp.Response>> streams = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        plain.add(send(client, ChatRequests.plain("chat-primary")));
      }
      for (int i = 0; i < 3; i++) {
        streams.add(send(client, ChatRequests.stream("chat-primary")));
      }
      Eventually.await(vertx, "all 15 in flight", 5_000, () -> node.node().frontDoor().inFlight() == 15);

      // WHEN the node is told to shut down
      Future<Void> shutdown = node.node().shutdown();

      // THEN readiness is DOWN at once, while connections are still accepted
      TestHttp.Response ready = http.send(HttpMethod.GET, "/health/ready", null);
      assertEquals(503, ready.status(), ready.text());
      // AND every request in flight gets its whole answer
      for (Future<TestHttp.Response> f : plain) {
        TestHttp.Response r = f.await();
        assertEquals(200, r.status(), r.text());
        assertEquals("chat.completion", r.json().getString("object"));
      }
      for (Future<TestHttp.Response> f : streams) {
        TestHttp.Response r = f.await();
        assertEquals(200, r.status(), r.text());
        assertTrue(r.text().trim().endsWith("data: [DONE]"), r.text());
      }
      shutdown.await();
      // AND new connections are refused once the drain delay is over
      assertFalse(accepts(port), "the listener is closed after the shutdown");
      // AND all 15 requests were logged, as answered
      Eventually.await(vertx, "15 request lines", 5_000, () -> requestLog.json().stream()
          .filter(l -> l.getInteger("http_status") == 200).count() == 15);
    } finally {
      client.close();
    }
  }

  @Test
  void aStreamLongerThanTheGracePeriod_endsWithAnErrorEvent_notACutConnection() throws Exception {
    TestNode node = node(0, 600);
    sim.script("primary", new JsonObject().put("chunk_interval_ms", 400));
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(node.port())
        .setDefaultHost("127.0.0.1"));
    try {
      Future<TestHttp.Response> stream = send(client, ChatRequests.stream("chat-primary"));
      Eventually.await(vertx, "the stream in flight", 5_000, () -> node.node().frontDoor().inFlight() == 1);

      node.node().shutdown().await();

      TestHttp.Response r = stream.await();
      assertEquals(200, r.status());
      assertFalse(r.text().contains("[DONE]"), r.text());
      assertTrue(r.text().contains("event: error"), r.text());
      assertTrue(r.text().contains("node_shutting_down"), r.text());
      Eventually.await(vertx, "the stream's line", 5_000, () -> requestLog.json().size() == 1);
    } finally {
      client.close();
    }
  }

  private Future<TestHttp.Response> send(HttpClientAgent client, JsonObject body) {
    return client.request(HttpMethod.POST, "/v1/chat/completions")
        .compose(request -> request.putHeader("content-type", "application/json").send(body.toBuffer()))
        .compose(response -> response.body().map(b -> new TestHttp.Response(response.statusCode(),
            response.headers(), b)));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
