package io.turnout.controlplane.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Sim;
import io.turnout.testing.SteppedClock;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token guessing on the admin listener is slowed down: after 30 refused tokens in a minute from
 * one address, the admin API and the console login answer 429 with Retry-After, also to the right
 * token, until the window has passed (on the node's injected clock).
 */
@ExtendWith(VertxExtension.class)
class LoginThrottleEndToEndTest {

  private static final String TOKEN = "throttle-admin-token";

  @Test
  void tenRefusedTokens_blockTheAddress_forTheRestOfTheMinute_onTheApiAndTheConsole(Vertx vertx) {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T03:00:00Z"));
    Map<String, String> env = new HashMap<>(TestNode.ENV);
    env.put("ALICE_TOKEN", TOKEN);
    TestNode node = TestNode.start(vertx, TestNode.config(Sim.start(vertx), 2_000, 2_000, 5_000)
        + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n", TestNode.DEFAULT_ROUTES, env, clock);
    TestHttp admin = node.adminHttp();

    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertEquals(401, routes(admin, "guess-" + i).status());
    }
    TestHttp.Response blocked = routes(admin, TOKEN);
    TestHttp.Response login = admin.send(HttpMethod.POST, "/console/login", Buffer.buffer("token=" + TOKEN),
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/x-www-form-urlencoded")
            .add("origin", "http://127.0.0.1:" + node.node().adminPort()));

    assertEquals(429, blocked.status(), blocked.text());
    assertEquals("too_many_failed_logins", blocked.json().getJsonObject("error").getString("code"));
    assertEquals("60", blocked.header("retry-after"));
    assertEquals(429, login.status(), login.text());

    clock.advance(Duration.ofSeconds(61));
    assertEquals(200, routes(admin, TOKEN).status(), "the window passed");
  }

  private static TestHttp.Response routes(TestHttp admin, String token) {
    return admin.send(HttpMethod.GET, "/admin/routes", null,
        MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + token));
  }
}
