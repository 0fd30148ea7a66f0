package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.testing.BusEvents;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.SteppedClock;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A route version with {@code expires_at} stops serving by itself: once the node's clock passes
 * it, the periodic check moves the scope to the version's {@code rollback_route_version},
 * publishes the reversion once, and requests are served by the rollback version. No operator,
 * no restart, no file edit.
 */
@ExtendWith(VertxExtension.class)
class ExpiryEndToEndTest {

  private static final long CHECK_MS = 100;
  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

  /** chat-canary-v3 (expires in 1 min) rolls back to chat-v2 (expires in 2 min), which rolls back to chat-v1. */
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests, expires_at: "2026-06-01T00:02:00Z"}
        - {route_version: chat-cutover-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v2, owner: tests, expires_at: "2026-06-01T00:01:00Z"}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-cutover-v3}
      """;

  private static Vertx vertx;
  private static Sim sim;
  private SteppedClock clock;
  private TestNode node;
  private BusEvents events;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void startNode() {
    clock = new SteppedClock(START);
    events = BusEvents.record(vertx, RouteEvents.ADDRESS);
    String yaml = TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.ROUTING,
        "routing:\n  watch: false\n  expiry_check_ms: " + CHECK_MS + "\n");
    node = TestNode.start(vertx, yaml, ROUTES, clock);
  }

  @AfterEach
  void stopNode() {
    events.close();
    node.stop();
  }

  @Test
  void activeVersionPastItsExpiry_revertsToItsRollbackByItself() {
    // GIVEN the active cutover serves, a minute before it expires
    TestHttp.Response before = node.http().chat(ChatRequests.plain("chat"));
    assertEquals("chat-cutover-v3", before.header("x-turnout-route-version"));
    assertEquals("cometapi", before.header("x-turnout-provider"));

    // WHEN the clock passes its expires_at
    clock.advance(Duration.ofSeconds(61));

    // THEN the node reverts the scope to the rollback version and says so
    JsonObject expired = events.await("an expired event", 5_000, type("expired"));
    assertEquals("production", expired.getString("environment"));
    assertEquals("*", expired.getString("tenant_or_cohort"));
    assertEquals("chat", expired.getString("model_alias"));
    assertEquals("chat-cutover-v3", expired.getString("from"));
    assertEquals("chat-v2", expired.getString("to"));
    assertEquals("2026-06-01T00:01:00Z", expired.getString("expires_at"));
    assertEquals(node.node().id(), expired.getString("node"));
    assertEquals("chat-v2", pointer(), "the pointer itself moved, not only request-time resolution");
    // AND requests are served by the rollback version
    TestHttp.Response after = node.http().chat(ChatRequests.plain("chat"));
    assertEquals(200, after.status(), after.text());
    assertEquals("chat-v2", after.header("x-turnout-route-version"));
    assertEquals("primary", after.header("x-turnout-provider"));
    // AND the reversion is published once, not on every check
    Eventually.holds(vertx, "one expired event", 10 * CHECK_MS, () -> events.matching(type("expired")).size() == 1);
  }

  @Test
  void rollbackThatHasExpiredToo_isFollowedToTheFirstLiveVersion() {
    // WHEN the clock passes both the cutover's and its rollback's expiry at once
    clock.advance(Duration.ofMinutes(5));

    // THEN the scope lands on the first version of the chain still live, in one reversion
    JsonObject expired = events.await("an expired event", 5_000, type("expired"));
    assertEquals("chat-cutover-v3", expired.getString("from"));
    assertEquals("chat-v1", expired.getString("to"));
    assertEquals("chat-v1", pointer());
    assertEquals("chat-v1", node.http().chat(ChatRequests.plain("chat")).header("x-turnout-route-version"));
  }

  private String pointer() {
    return node.node().routes().current().pointers().get(new ScopeKey("production", "*", "chat"));
  }

  /** This node's events of one type (earlier tests' nodes publish on the same bus). */
  private Predicate<JsonObject> type(String type) {
    return event -> type.equals(event.getString("type")) && node.node().id().equals(event.getString("node"));
  }
}
