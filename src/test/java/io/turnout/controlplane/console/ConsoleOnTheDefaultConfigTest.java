package io.turnout.controlplane.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.NodeConfig;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console on the embedded default config exactly as shipped in conf/ (only the simulator's
 * port moved to a free one, and both listeners on ephemeral ports), logged into with the admin
 * token in conf/secrets: README's screenshot (target/screenshots/console-overview-default.png,
 * copied to docs/console-overview.png) is taken here, with the shipped canary at 5 % after its
 * probes passed and some traffic.
 */
class ConsoleOnTheDefaultConfigTest {

  @TempDir
  Path root;

  @Test
  void theShippedConfigsConsole_showsEveryActiveScope_afterLoggingInWithTheShippedToken() throws Exception {
    Path conf = root.resolve("conf");
    copy(Path.of("conf"), conf);
    int simPort = freePort();
    Path yaml = conf.resolve(NodeConfig.FILE);
    Files.writeString(yaml, Files.readString(yaml).replace("8091", String.valueOf(simPort)));
    String token = Files.readString(conf.resolve("secrets/admin-alice.token")).trim();
    Vertx vertx = Vertx.vertx();
    TestNode node = TestNode.start(vertx, NodeConfig.load(conf, Map.of(NodeConfig.ENV_HTTP_PORT, "0",
        NodeConfig.ENV_ADMIN_PORT, "0")), Clock.systemUTC());
    try (Browser browser = Browser.start()) {
      MultiMap bearer = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + token)
          .add("content-type", "application/json");
      // probes.required: the canary and its rollback version need passed runs (a run can fail on a
      // loaded machine, e.g. the 5 ms timeout probe: run again, as an operator would)
      for (String version : new String[] {"support-canary-v2", "support-primary-v1"}) {
        boolean passed = false;
        for (int attempt = 0; attempt < 3 && !passed; attempt++) {
          TestHttp.Response run = node.adminHttp().send(HttpMethod.POST, "/admin/probes/run",
              new JsonObject().put("route_version", version).toBuffer(), bearer);
          assertEquals(200, run.status(), run.text());
          passed = run.json().getBoolean("passed");
        }
        assertTrue(passed, version + "'s probes failed three times");
      }
      TestHttp.Response canary = node.adminHttp().send(HttpMethod.POST, "/admin/scopes/activate", new JsonObject()
          .put("tenant_or_cohort", "*").put("model_alias", "support-summary-v3").put("route_version", "support-canary-v2")
          .put("reason", "start the CometAPI canary").toBuffer(), bearer);
      assertEquals(200, canary.status(), canary.text());
      MultiMap client = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer "
          + Files.readString(conf.resolve("secrets/demo-client.key")).trim());
      for (int i = 0; i < 20; i++) {
        node.http().chat(ChatRequests.plain("support-summary-v3"), client);
      }

      String url = "http://127.0.0.1:" + node.adminPort();
      browser.driver().get(url + "/console");
      browser.waiting().until(ExpectedConditions.urlToBe(url + "/console/login"));
      browser.visible(By.id("token")).sendKeys(token);
      browser.driver().findElement(By.id("login")).click();

      String scopes = browser.waiting().until(d -> {
        String text = d.findElement(By.id("scopes")).getText();
        return text.contains("support-canary-v2") && text.contains("triage-v0") && text.contains("5 %") ? text : null;
      });
      assertTrue(scopes.contains("support-internal-v1"), scopes);
      browser.waiting().until(d -> !d.findElements(By.cssSelector("#scopes .chip")).isEmpty());
      browser.visible(By.cssSelector("#live[data-state=live]"));
      browser.screenshot("console-overview-default");
    } finally {
      node.stop();
      vertx.close().await();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
