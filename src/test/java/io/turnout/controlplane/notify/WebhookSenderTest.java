package io.turnout.controlplane.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.LogCapture;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One webhook's delivery against a real receiver on loopback: retries with backoff on 5xx, 429
 * and timeouts, none on other 4xx, the attempt limit, the queue bound, and what is logged.
 * Backoffs are a few milliseconds here ({@code backoff_ms}), so nothing waits on them.
 */
class WebhookSenderTest {

  private static final String SECRET = "hook-secret-never-logged";

  private Vertx vertx;
  private Context context;
  private Receiver receiver;
  private PrometheusMeterRegistry registry;
  private WebhookSender sender;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    receiver = Receiver.start(vertx);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @AfterEach
  void stop() {
    receiver.close();
    vertx.close().await();
  }

  private void sender(int maxAttempts, int queueSize, long timeoutMs, Set<NotifyEvent> events) {
    WebhookOptions options = new WebhookOptions("ops", URI.create(receiver.url("/hook?token=query-token-never-logged")),
        false, WebhookOptions.Format.GENERIC, SECRET, events, timeoutMs, maxAttempts, queueSize, 2, 10);
    // The sender lives on one context, like the verticle that owns it.
    context.runOnContext(v -> sender = new WebhookSender(vertx, options, registry));
    Eventually.await(vertx, "sender created", 1_000, () -> sender != null);
  }

  private void sender(int maxAttempts) {
    sender(maxAttempts, 100, 2_000, EnumSet.allOf(NotifyEvent.class));
  }

  private void offer(Notification n) {
    context.runOnContext(v -> sender.offer(n));
  }

  private double count(String outcome) {
    return Exposition.parse(registry.scrape()).sum("turnout_webhook_deliveries_total", "webhook", "ops", "outcome",
        outcome);
  }

  private static Notification n(String summary) {
    return new Notification("id-" + summary, NotifyEvent.GATE_ACTION, Instant.parse("2026-12-04T01:00:00Z"), "n1",
        "production/*/chat", summary, new JsonObject().put("gate", "fallback_5xx"));
  }

  @Test
  void fiveXx_isRetried_untilDelivered_withTheSameDeliveryId() {
    sender(5);
    receiver.failNext(503, 2);
    offer(n("first"));

    Eventually.await(vertx, "delivered on the third attempt", 5_000, () -> count("delivered") == 1);
    List<Receiver.Request> requests = receiver.requests();
    assertEquals(3, requests.size());
    assertEquals(Set.of("id-first"), Set.copyOf(requests.stream().map(r -> r.headers().get(Payloads.DELIVERY_HEADER))
        .toList()));
    assertEquals(2.0, count("retried"));
    assertEquals(0.0, count("failed"));
    // and the meter says what it counts
    assertTrue(registry.scrape().contains("# HELP turnout_webhook_deliveries_total Webhook notifications by outcome"));
  }

  @Test
  void tooManyRequests_isRetried() {
    sender(3);
    receiver.failNext(429, 1);
    offer(n("x"));
    Eventually.await(vertx, "delivered after a 429", 5_000, () -> count("delivered") == 1);
    assertEquals(2, receiver.requests().size());
  }

  @Test
  void otherFourXx_isNotRetried() {
    sender(5);
    receiver.failNext(400, 5);
    offer(n("bad"));
    Eventually.await(vertx, "failed", 5_000, () -> count("failed") == 1);
    Eventually.holds(vertx, "no second attempt", 300, () -> receiver.requests().size() == 1);
    assertEquals(0.0, count("retried"));
  }

  @Test
  void attempts_stopAtTheLimit_andTheFailureIsLoggedWithoutQueryOrSecret() {
    try (LogCapture logs = LogCapture.logger(WebhookSender.class.getName())) {
      sender(3);
      receiver.failNext(500, 10);
      offer(n("doomed"));
      Eventually.await(vertx, "gave up", 5_000, () -> count("failed") == 1);
      Eventually.holds(vertx, "no fourth attempt", 300, () -> receiver.requests().size() == 3);
      assertEquals(2.0, count("retried"));
      String text = logs.text();
      assertTrue(text.contains("Webhook ops"), text);
      assertTrue(text.contains("HTTP 500"), text);
      assertTrue(text.contains("attempt 3 of 3"), text);
      assertTrue(text.contains(receiver.url("/hook")), text);
      assertFalse(text.contains("query-token-never-logged"), text);
      assertFalse(text.contains(SECRET), text);
    }
  }

  @Test
  void aHangingReceiver_timesOut_andIsRetried() {
    sender(2, 100, 200, EnumSet.allOf(NotifyEvent.class));
    receiver.hang(true);
    offer(n("slow"));
    Eventually.await(vertx, "the first attempt timed out and a second went out", 5_000,
        () -> receiver.requests().size() == 2);
    receiver.hang(false);
    Eventually.await(vertx, "given up after two timeouts", 5_000, () -> count("failed") == 1);
    assertEquals(1.0, count("retried"));
  }

  @Test
  void aFullQueue_dropsTheOldest_andCountsIt() {
    sender(1, 2, 500, EnumSet.allOf(NotifyEvent.class));
    receiver.hang(true);
    offer(n("1"));
    Eventually.await(vertx, "1 in flight", 2_000, () -> receiver.requests().size() == 1);
    // 1 is in flight; the queue holds two: 4 drops 2, 5 drops 3
    for (String s : List.of("2", "3", "4", "5")) {
      offer(n(s));
    }
    Eventually.await(vertx, "two dropped", 2_000, () -> count("dropped") == 2);
    receiver.hang(false);
    Eventually.await(vertx, "4 and 5 delivered", 5_000, () -> count("delivered") == 2);
    assertEquals(List.of("1", "4", "5"), receiver.requests().stream().map(r -> r.json().getString("summary")).toList());
    assertEquals(1.0, count("failed"), "1 timed out with no attempt left");
  }

  @Test
  void eventsNotSubscribed_areNotSent_andTheBodyIsSigned() throws Exception {
    sender(1, 10, 2_000, EnumSet.of(NotifyEvent.DRILL_BLOCKED));
    offer(n("a gate action nobody asked for"));
    offer(new Notification("d", NotifyEvent.DRILL_BLOCKED, Instant.EPOCH, "n1", null, "blocked", new JsonObject()));
    Eventually.await(vertx, "the drill event delivered", 5_000, () -> count("delivered") == 1);
    Receiver.Request only = receiver.requests().get(0);
    assertEquals(1, receiver.requests().size());
    assertEquals("drill_blocked", only.json().getString("event"));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "HmacSHA256"));
    String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(only.body().getBytes()));
    assertEquals(expected, only.headers().get("x-turnout-signature"));
    assertEquals("application/json", only.headers().get("content-type"));
  }
}
