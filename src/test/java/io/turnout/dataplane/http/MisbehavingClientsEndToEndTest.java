package io.turnout.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that hold a connection without using it are cut off (header, body and keep-alive
 * timeouts, a connection cap), and every request the HTTP codec refuses is answered in OpenAI's
 * error shape, logged once and counted. The timeouts are the behaviour under test, so they run on
 * real sockets with short settings.
 */
@ExtendWith(VertxExtension.class)
class MisbehavingClientsEndToEndTest {

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;
  private static LogCapture requestLog;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
    requestLog = LogCapture.logger("turnout.request");
    String yaml = TestNode.config(sim, 2_000, 2_000, 5_000).replace("  instances: 1\n",
        "  instances: 1\n  header_timeout_ms: 400\n  body_timeout_ms: 400\n  keep_alive_timeout_ms: 600\n"
            + "  max_connections: 6\n");
    node = TestNode.start(vertx, yaml);
  }

  @AfterAll
  static void stop() {
    node.stop();
    requestLog.close();
  }

  @BeforeEach
  void settle() {
    // Connections of the previous test are gone before the next one counts them.
    Eventually.await(vertx, "earlier connections closed", 5_000, () -> node.node().frontDoor().openConnections() <= 1);
  }

  @Test
  void headersThatStall_areCutOff_loggedAndCountedAs408() throws Exception {
    double before = requests("408");
    try (RawConnection client = new RawConnection(node.port())) {
      // GIVEN a client that sends half its headers and stops
      client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");

      // THEN the node closes the connection (nothing can be answered before the headers end)
      String received = client.readUntilClosed(5_000);
      assertEquals("", received);
    }
    Eventually.await(vertx, "the 408 counted", 5_000, () -> requests("408") == before + 1);
    assertTrue(requestLog.json().stream().anyMatch(l -> l.getInteger("http_status") == 408), requestLog.text());
  }

  @Test
  void aBodyThatStalls_gets408InOpenAiShape_andTheConnectionIsFreed() throws Exception {
    double before = requests("408");
    try (RawConnection client = new RawConnection(node.port())) {
      // GIVEN headers announcing 200 bytes, and then only 10 of them
      client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 200\r\n\r\n{\"model\":");

      // THEN a 408 with OpenAI's error body, and the connection closes
      String received = client.readUntilClosed(5_000);
      assertTrue(received.startsWith("HTTP/1.1 408"), received);
      JsonObject error = new JsonObject(received.substring(received.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
      assertEquals("request_timeout", error.getString("code"));
    }
    Eventually.await(vertx, "the 408 counted", 5_000, () -> requests("408") == before + 1);
    assertEquals(0, sim.stats("primary").getInteger("requests"), "nothing reached a provider");
  }

  @Test
  void anIdleKeptAliveConnection_isClosedAfterTheKeepAliveTimeout() throws Exception {
    try (RawConnection client = new RawConnection(node.port())) {
      client.send("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String answer = client.readUntil("\"object\":\"list\"", 5_000);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);

      // THEN, sending nothing more, the connection is closed by the node
      assertEquals("", client.readUntilClosed(5_000).replaceAll("(?s).*\"object\":\"list\".*", ""));
    }
  }

  @Test
  void connectionsOverTheCap_areClosedAtOnce() throws Exception {
    double refusedBefore = metric("turnout_http_connections_refused_total");
    List<RawConnection> held = new java.util.ArrayList<>();
    try {
      // GIVEN the cap reached (this test's own HTTP client may hold a kept-alive connection too)
      int free = 6 - node.node().frontDoor().openConnections();
      for (int i = 0; i < free; i++) {
        held.add(new RawConnection(node.port()));
      }
      Eventually.await(vertx, "six connections open", 5_000, () -> node.node().frontDoor().openConnections() == 6);
      // WHEN a seventh connects
      try (RawConnection extra = new RawConnection(node.port())) {
        // THEN it is closed without an answer, long before any timeout
        assertEquals("", extra.readUntilClosed(300));
      }
      assertEquals(refusedBefore + 1, metric("turnout_http_connections_refused_total"));
    } finally {
      for (RawConnection c : held) {
        c.close();
      }
    }
  }

  @Test
  void aHealthyConnection_isNotCutWhileItsRequestWaitsForTheProvider() throws Exception {
    // GIVEN a provider slower than every client timeout of this node
    sim.script("primary", new JsonObject().put("latency_ms", 1_200));
    try {
      TestHttp.Response response = node.http().chat(ChatRequests.plain("chat-primary"));
      assertEquals(200, response.status(), response.text());
    } finally {
      sim.reset("primary");
    }
  }

  @Test
  void headersOverTheLimit_get431InOpenAiShape_loggedAndCounted() throws Exception {
    assertCodecRefusal("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(9_000) + "\r\n\r\n",
        431, "request_header_fields_too_large");
  }

  @Test
  void aUrlOverTheLimit_gets414InOpenAiShape() throws Exception {
    assertCodecRefusal("GET /v1/models?" + "q".repeat(5_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414,
        "uri_too_long");
  }

  @Test
  void aBadContentLength_gets400InOpenAiShape() throws Exception {
    assertCodecRefusal("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n", 400,
        "invalid_http_request");
  }

  @Test
  void aBrokenRequestLine_gets400InOpenAiShape() throws Exception {
    assertCodecRefusal("GET /v1/models HTTP/9.Z\r\nHost: 127.0.0.1\r\n\r\n", 400, "invalid_http_request");
  }

  private void assertCodecRefusal(String rawRequest, int status, String code) throws Exception {
    double before = requests(String.valueOf(status));
    int linesBefore = requestLog.lines().size();
    try (RawConnection client = new RawConnection(node.port())) {
      String received = client.send(rawRequest).readUntilClosed(5_000);
      // HTTP/1.0 when the request line's version could not be read; the client's own otherwise
      assertTrue(received.matches("(?s)HTTP/\\d\\.\\d " + status + " .*"), received);
      JsonObject error = new JsonObject(received.substring(received.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
      assertEquals(code, error.getString("code"));
      assertEquals("invalid_request_error", error.getString("type"));
    }
    Eventually.await(vertx, "the refusal counted", 5_000, () -> requests(String.valueOf(status)) == before + 1);
    List<JsonObject> lines = requestLog.json().subList(linesBefore, requestLog.lines().size());
    assertEquals(1, lines.stream().filter(l -> l.getInteger("http_status") == status).count(), lines.toString());
    assertNull(lines.get(0).getValue("timeout_ms"), "no deadline applied to a request never routed");
  }

  @Test
  void aClientThatNeverSendsAnything_doesNotHoldItsConnection() throws Exception {
    try (RawConnection client = new RawConnection(node.port())) {
      assertEquals("", client.readUntilClosed(5_000));
    }
    // and a client within the limits still gets its answer on a new connection
    assertEquals(200, node.http().send(HttpMethod.GET, "/v1/models", null).status());
    assertThrows(SocketTimeoutException.class, () -> {
      try (RawConnection patient = new RawConnection(node.port())) {
        patient.readUntilClosed(100);
      }
    }, "a connection is not closed before its header timeout");
  }

  private static double requests(String status) {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text())
        .sum("turnout_requests_total", "status", status);
  }

  private static double metric(String name) {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text()).sum(name);
  }
}
