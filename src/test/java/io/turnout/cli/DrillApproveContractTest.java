package io.turnout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.turnout.cli.CliHarness.Result;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step-bound approvals (issue 11's contract on the drill API): the CLI approves the step the node
 * names in {@code next_step}, shows {@code next_step_checks}, and reads a 409 {@code step_mismatch}
 * as a refusal. Against a loopback HTTP server answering with that contract's JSON, because the
 * node on this branch does not send those fields yet; {@link CliDrillCommandsTest} runs the rest
 * against a real node.
 */
class DrillApproveContractTest {

  private HttpServer server;
  private final AtomicReference<JsonObject> drill = new AtomicReference<>();
  private final AtomicReference<JsonObject> advanced = new AtomicReference<>();
  private volatile int advanceStatus = 200;
  private volatile String advanceBody;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/admin/drills/d1", exchange -> {
      String body;
      int status = 200;
      if ("POST".equals(exchange.getRequestMethod())) {
        advanced.set(new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        status = advanceStatus;
        body = advanceBody;
      } else {
        body = drill.get().encode();
      }
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

  private Result approve(String stdin, String... extra) {
    return CliHarness.run(Map.of(Target.ENV_URL, "http://127.0.0.1:" + server.getAddress().getPort(),
        Target.ENV_TOKEN, "t"), stdin, CliHarness.args(new String[] {"drill", "approve", "d1", "--reason", "go"}, extra));
  }

  private static JsonObject drill(String step, String status) {
    return new JsonObject().put("id", "d1").put("step", step).put("status", status).put("canary_version", "c")
        .put("previous_version", "p").put("scope", new JsonObject().put("environment", "production")
            .put("tenant_or_cohort", "*").put("model_alias", "chat")).put("steps", new JsonArray());
  }

  @Test
  void theStepTheNodeNames_isTheOneApproved_withTheChecksItLists() {
    drill.set(drill("probes", "awaiting_approval").put("next_step", "canary")
        .put("next_step_checks", JsonArray.of("moves production/*/chat to c at 5%", "checks the move applied")));
    advanceBody = drill("canary", "awaiting_approval").encode();
    Result r = approve("y\n");
    assertEquals(Exit.OK, r.code(), r.toString());
    assertTrue(r.out().contains("Approving runs step canary:\n  - moves production/*/chat to c at 5%\n"
        + "  - checks the move applied\n"), r.out());
    assertEquals(new JsonObject().put("reason", "go").put("expected_step", "canary"), advanced.get());
  }

  @Test
  void aStepMismatch_isARefusal() {
    drill.set(drill("probes", "awaiting_approval").put("next_step", "internal"));
    advanceStatus = 409;
    advanceBody = "{\"error\":{\"message\":\"the drill's next step is canary, not internal\",\"code\":\"step_mismatch\","
        + "\"param\":\"expected_step\"}}";
    Result r = approve("", "--yes");
    assertEquals(Exit.REFUSED, r.code(), r.toString());
    assertTrue(r.err().contains("refused: 409 step_mismatch: the drill's next step is canary, not internal "
        + "[field expected_step]"), r.err());
  }

  @Test
  void withoutNextStep_aBlockedStepIsRetried_andAnAwaitingOneMovesOn() {
    drill.set(drill("drain_check", "blocked").put("blocked_reason", "too early"));
    advanceBody = drill("drain_check", "awaiting_approval").encode();
    assertEquals(Exit.OK, approve("", "--yes").code());
    assertEquals("drain_check", advanced.get().getString("expected_step"));

    drill.set(drill("rollback", "awaiting_approval"));
    assertEquals(Exit.OK, approve("", "--yes").code());
    assertEquals("drain_check", advanced.get().getString("expected_step"));

    drill.set(drill("complete", "complete"));
    advanced.set(null);
    Result ended = approve("", "--yes");
    assertEquals(Exit.REFUSED, ended.code(), ended.toString());
    assertEquals(null, advanced.get(), "nothing sent for an ended drill");
  }
}
