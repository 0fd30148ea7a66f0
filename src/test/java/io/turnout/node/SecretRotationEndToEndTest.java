package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.ChatRequests;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation without a restart: provider keys, client keys and admin tokens given as
 * {@code file:} references are read again (here on {@code POST /admin/secrets/reload}, else every
 * few seconds); the new value is in force at once, the old client key and token are refused, and
 * the rotation is audited and logged by field, never by value.
 */
@ExtendWith(VertxExtension.class)
class SecretRotationEndToEndTest {

  private static final String OLD_PROVIDER_KEY = "sim-primary-old-key-0000";
  private static final String OLD_CLIENT = "client-acme-old-0000";
  private static final String NEW_CLIENT = "client-acme-new-1111";
  private static final String OLD_TOKEN = "alice-token-old-0000";
  private static final String NEW_TOKEN = "alice-token-new-1111";

  @Test
  void rotatedFiles_takeEffectAtOnce_andAreAuditedWithoutTheirValues(Vertx vertx, @TempDir Path dir)
      throws Exception {
    // GIVEN a provider that accepts only its new key, and a node configured with the old one
    Sim sim = Sim.start(vertx);
    Files.writeString(dir.resolve("primary.key"), OLD_PROVIDER_KEY);
    Files.writeString(dir.resolve("acme.key"), OLD_CLIENT);
    Files.writeString(dir.resolve("alice.token"), OLD_TOKEN);
    String yaml = TestNode.config(sim, 2_000, 2_000, 5_000).replace("\"${PRIMARY_KEY}\"", "\"file:primary.key\"")
        + "clients:\n  acme-app: {key: \"file:acme.key\", tenant: acme}\n"
        + "admin:\n  tokens:\n    alice: \"file:alice.token\"\n"
        + "audit:\n  file: audit.jsonl\n";
    Files.writeString(dir.resolve(NodeConfig.FILE), yaml);
    Files.writeString(dir.resolve("routes.yaml"), TestNode.DEFAULT_ROUTES);
    try (LogCapture logs = LogCapture.everythingAtDebug()) {
      TestNode node = TestNode.start(vertx, NodeConfig.load(dir, TestNode.ENV), Clock.systemUTC());
      TestHttp admin = new TestHttp(vertx, node.node().adminPort());
      try {
        TestHttp.Response refused = node.http().chat(ChatRequests.plain("chat-primary"), bearer(OLD_CLIENT));
        assertEquals("auth", refused.header("x-turnout-error-class"), refused.text());

        // WHEN the three files are rotated and the node is told to read them again
        Files.writeString(dir.resolve("primary.key"), Sim.PRIMARY_KEY);
        Files.writeString(dir.resolve("acme.key"), NEW_CLIENT);
        Files.writeString(dir.resolve("alice.token"), NEW_TOKEN);
        TestHttp.Response reload = admin.send(HttpMethod.POST, "/admin/secrets/reload", null, bearer(OLD_TOKEN));

        // THEN the new values are in force, the old ones are refused
        assertEquals(200, reload.status(), reload.text());
        assertEquals(List.of("providers.primary.auth.key", "clients.acme-app.key", "admin.tokens.alice"),
            reload.json().getJsonArray("rotated").getList());
        TestHttp.Response answered = node.http().chat(ChatRequests.plain("chat-primary"), bearer(NEW_CLIENT));
        assertEquals(200, answered.status(), answered.text());
        assertEquals(401, node.http().chat(ChatRequests.plain("chat-primary"), bearer(OLD_CLIENT)).status());
        assertEquals(401, admin.send(HttpMethod.GET, "/admin/routes", null, bearer(OLD_TOKEN)).status());
        assertEquals(200, admin.send(HttpMethod.GET, "/admin/routes", null, bearer(NEW_TOKEN)).status());

        // AND the rotation is audited by field; no value is in the audit log or any log line
        JsonObject entry = Files.readAllLines(dir.resolve("audit.jsonl")).stream().map(JsonObject::new)
            .filter(e -> "secret_rotated".equals(e.getString("action"))).findFirst().orElseThrow();
        assertEquals("operator:alice", entry.getString("operator"));
        assertTrue(entry.getJsonArray("secrets").contains("clients.acme-app.key"), entry.encode());
        String audit = Files.readString(dir.resolve("audit.jsonl"));
        for (String secret : List.of(Sim.PRIMARY_KEY, NEW_CLIENT, NEW_TOKEN, OLD_CLIENT, OLD_TOKEN, OLD_PROVIDER_KEY)) {
          assertFalse(audit.contains(secret), "the audit log holds no secret");
          assertFalse(logs.text().contains(secret), "no log line holds a secret");
        }

        // AND a second reload with nothing changed rotates nothing
        assertEquals(0, admin.send(HttpMethod.POST, "/admin/secrets/reload", null, bearer(NEW_TOKEN)).json()
            .getJsonArray("rotated").size());
      } finally {
        admin.close().await();
        node.stop();
      }
    }
  }

  private static MultiMap bearer(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + key);
  }
}
