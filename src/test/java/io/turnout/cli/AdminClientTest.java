package io.turnout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the client maps answers to exit statuses, against a real HTTP server on loopback that
 * answers what a node cannot be made to (a 5xx, a body that is not JSON).
 */
class AdminClientTest {

  private HttpServer server;
  private volatile int status;
  private volatile String body;
  private volatile String authorization;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      authorization = exchange.getRequestHeaders().getFirst("authorization");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private AdminClient client() {
    return new AdminClient("http://127.0.0.1:" + server.getAddress().getPort(), "tok");
  }

  @Test
  void a5xx_isAFailure_a4xx_aRefusalWithTheNodesCodeMessageAndField() {
    status = 503;
    body = "{\"error\":{\"message\":\"busy\",\"code\":\"admin_error\"}}";
    CliFailure failed = assertThrows(CliFailure.class, () -> client().get("/admin/routes"));
    assertEquals(Exit.FAILED, failed.exitCode());
    assertEquals("failed: 503 admin_error: busy (GET /admin/routes)", failed.getMessage());
    assertEquals("Bearer tok", authorization);

    status = 409;
    body = "{\"error\":{\"message\":\"the drill is at canary\",\"code\":\"step_mismatch\",\"param\":\"expected_step\"}}";
    CliFailure refused = assertThrows(CliFailure.class, () -> client().post("/admin/drills/d/advance",
        new io.vertx.core.json.JsonObject()));
    assertEquals(Exit.REFUSED, refused.exitCode());
    assertEquals("refused: 409 step_mismatch: the drill is at canary [field expected_step] (POST /admin/drills/d/advance)",
        refused.getMessage());
  }

  @Test
  void anAnswerThatIsNotJson_isAFailure() {
    status = 200;
    body = "<html>a proxy's page</html>";
    CliFailure failed = assertThrows(CliFailure.class, () -> client().get("/admin/routes"));
    assertEquals(Exit.FAILED, failed.exitCode());
    assertTrue(failed.getMessage().contains("not a JSON object"), failed.getMessage());
    assertEquals(body, client().getText("/admin/drills/x/report"));
  }
}
