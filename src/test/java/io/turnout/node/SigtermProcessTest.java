package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in its own process, sent SIGTERM while requests are in flight, as a rolling restart
 * does: every request gets its whole answer, every request is in the process's log, and the
 * process exits by itself.
 */
@ExtendWith(VertxExtension.class)
class SigtermProcessTest {

  @TempDir
  Path dir;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermUnderLoad_losesNoRequest_andLogsEveryOne(Vertx vertx) throws Exception {
    Sim sim = Sim.start(vertx);
    sim.script("primary", new JsonObject().put("latency_ms", 1_000));
    int port = freePort();
    Files.writeString(dir.resolve("k1"), Sim.PRIMARY_KEY);
    Files.writeString(dir.resolve("turnout.yaml"), """
        http: {host: 127.0.0.1, port: %d, instances: 1, drain_delay_ms: 200, shutdown_grace_ms: 10000}
        routing: {watch: false}
        providers:
          primary: {kind: openai, base_url: "%s", auth: {key: "file:k1"}}
        probes: {required: false, evidence_dir: evidence}
        drills: {report_dir: drills}
        audit: {file: audit.jsonl}
        """.formatted(port, sim.baseUrl("primary")));
    Files.writeString(dir.resolve("routes.yaml"), """
        aliases:
          chat: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: chat-v1}
        routes:
          - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
             mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
             owner: tests, enabled_features: [stream]}
        active:
          - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        """);
    Path log = dir.resolve("node.log");
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.turnout.Main", "--conf", dir.toString()));
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    TestHttp http = new TestHttp(vertx, port);
    Eventually.await(vertx, "the node ready", 30_000, () -> {
      assertTrue(process.isAlive(), "the node exited: " + read(log));
      try {
        return http.send(HttpMethod.GET, "/health/ready", null).status() == 200;
      } catch (Exception notYet) {
        return false;
      }
    });
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(16));

    // GIVEN 16 requests in flight, each waiting a second for the provider
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String id = "sigterm-" + i;
      answers.add(client.request(HttpMethod.POST, "/v1/chat/completions")
          .compose(r -> r.putHeader("content-type", "application/json").putHeader("x-request-id", id)
              .send(ChatRequests.plain("chat").toBuffer()))
          .compose(r -> r.body().map(b -> new JsonObject(b).getString("object").equals("chat.completion")
              ? r.statusCode() : -1)));
    }
    Eventually.await(vertx, "16 requests at the provider", 10_000,
        () -> sim.stats("primary").getInteger("open_exchanges") == 16);

    // WHEN the process gets SIGTERM
    process.destroy();

    // THEN every request is answered in full, and the process exits by itself
    for (Future<Integer> answer : answers) {
      assertEquals(200, answer.await());
    }
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the node exited after its grace period");
    String output = read(log);
    for (int i = 0; i < 16; i++) {
      assertTrue(output.contains("\"request_id\":\"sigterm-" + i + "\""), "request " + i + " logged:\n" + output);
    }
    client.close();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
