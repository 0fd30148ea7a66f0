package io.turnout.controlplane.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backoff and retry rules, the bounded queue, and lag detection: the pure parts of delivery. */
class DeliveryRulesTest {

  @Test
  void backoff_doublesUpToItsCap_withJitterInTheUpperHalf() {
    Backoff low = new Backoff(100, 1_000, () -> 0.0);
    Backoff high = new Backoff(100, 1_000, () -> 0.999999);
    assertEquals(50, low.delayMs(1));
    assertEquals(100, high.delayMs(1));
    assertEquals(200, high.delayMs(2));
    assertEquals(400, high.delayMs(3));
    assertEquals(1_000, high.delayMs(5));
    assertEquals(1_000, high.delayMs(60));
    assertEquals(500, low.delayMs(60));
  }

  @Test
  void retries_onNetworkErrorsTimeouts429And5xx_only() {
    assertTrue(Backoff.retryable(-1));
    assertTrue(Backoff.retryable(429));
    assertTrue(Backoff.retryable(500));
    assertTrue(Backoff.retryable(503));
    assertFalse(Backoff.retryable(400));
    assertFalse(Backoff.retryable(401));
    assertFalse(Backoff.retryable(404));
    assertFalse(Backoff.retryable(200));
    assertTrue(Backoff.delivered(204));
    assertFalse(Backoff.delivered(302));
  }

  @Test
  void queue_dropsTheOldestWhenFull() {
    WebhookQueue queue = new WebhookQueue(2);
    Notification a = n("a");
    Notification b = n("b");
    Notification c = n("c");
    assertNull(queue.offer(a));
    assertNull(queue.offer(b));
    assertEquals(a, queue.offer(c));
    assertEquals(b, queue.poll());
    assertEquals(c, queue.poll());
    assertNull(queue.poll());
  }

  @Test
  void lag_isReportedOnceAfterTheLimit_andAgainAfterCatchingUp() {
    LagTracker tracker = new LagTracker(10_000);
    JsonObject behind = new JsonObject().put("a", ack(5)).put("b", ack(4));
    assertEquals(List.of(), tracker.update(behind, 5, 0));
    assertEquals(List.of(), tracker.update(behind, 5, 9_999));
    assertEquals(List.of(new LagTracker.Lag("b", 4, 5, 10_000)), tracker.update(behind, 5, 10_000));
    assertEquals(List.of(), tracker.update(behind, 5, 60_000), "reported once per episode");
    JsonObject caughtUp = new JsonObject().put("a", ack(5)).put("b", ack(5));
    assertEquals(List.of(), tracker.update(caughtUp, 5, 61_000));
    JsonObject behindAgain = new JsonObject().put("a", ack(6)).put("b", ack(5));
    assertEquals(List.of(), tracker.update(behindAgain, 6, 62_000));
    assertEquals(1, tracker.update(behindAgain, 6, 72_000).size());
  }

  private static JsonObject ack(long revision) {
    return new JsonObject().put("revision", revision).put("time", "2026-12-04T01:00:00Z");
  }

  private static Notification n(String id) {
    return new Notification(id, NotifyEvent.GATE_ACTION, Instant.EPOCH, "n1", null, id, new JsonObject());
  }
}
