package io.turnout.controlplane.console;

import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A real node for the console's tests: operator {@code alice} with {@link #TOKEN}, a scope
 * {@code chat} with a canary and an internal-cohort version (a drill's route map), fast gates
 * with one 5xx rule on the canary, and drills that need only a few samples. The admin listener
 * is on an ephemeral port, reached through {@link #admin()} and {@link #adminUrl()}.
 */
final class ConsoleNode {

  static final String TOKEN = "console-admin-token";

  static final String ROUTES = io.turnout.testing.DrillRoutes.MAP;

  private final TestNode node;

  private ConsoleNode(TestNode node) {
    this.node = node;
  }

  /** Starts the node in front of {@code sim} on {@code clock}. */
  static ConsoleNode start(Vertx vertx, Sim sim, Clock clock) {
    String reports;
    try {
      reports = Files.createTempDirectory("turnout-console-drills").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String yaml = TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.DRILLS, """
        drills:
          report_dir: %s
          drain_grace_ms: 200
          min_samples: 5
          auto_fallback: {require_drill: false}
        """.formatted(reports))
        + TestNode.CLIENTS
        + """
        gates:
          tick_ms: 100
          bucket_ms: 500
          rules:
            - {name: canary_5xx, signal: upstream_5xx_rate, above: 0.2, window_ms: 60000, min_samples: 4,
               action: stop_expansion}
        admin:
          tokens:
            alice: "${ALICE_TOKEN}"
        """;
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    return new ConsoleNode(TestNode.start(vertx, yaml, ROUTES, env, clock));
  }

  TestNode node() {
    return node;
  }

  /** The admin listener's client. */
  TestHttp admin() {
    return node.adminHttp();
  }

  String adminUrl() {
    return "http://127.0.0.1:" + node.adminPort();
  }

  /** A bearer admin call: GET without a body, POST with one. */
  TestHttp.Response bearer(String path, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN);
    return body == null ? admin().send(HttpMethod.GET, path, null, headers)
        : admin().send(HttpMethod.POST, path, body.toBuffer(), headers.add("content-type", "application/json"));
  }

  void stop() {
    node.stop();
  }
}
