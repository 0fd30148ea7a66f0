package io.turnout.dataplane.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link RetryBudget} with a stepped clock: no sleeps. */
class RetryBudgetTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(123_456_789L);

  @Test
  void aBurstOfFailingRequestsGetsTenPercentPlusTheFloor() {
    RetryBudget budget = RetryBudget.withDefaults(clock::get);

    int allowed = failingRequests(budget, 100);

    assertEquals(10 + 10, allowed);
    assertEquals(80, budget.exhaustedCount());
  }

  @Test
  void healthyTrafficBanksNoBurstForTheStartOfAnOutage() {
    // GIVEN a node with the default budget that served 800 healthy requests
    RetryBudget budget = RetryBudget.withDefaults(clock::get);
    for (int i = 0; i < 800; i++) {
      budget.onRequest();
    }

    // WHEN an outage starts: 60 requests fail at once, each asking for a retry
    int allowed = failingRequests(budget, 60);

    // THEN at most max_balance + floor + 10% of them are retried (not all 60), the banked tokens and the floor used
    assertTrue(allowed <= 10 + 10 + 6, allowed + " retries for 60 failing requests");
    assertTrue(allowed >= 10 + 10, allowed + " retries for 60 failing requests");
  }

  @Test
  void withoutAFloorExactlyTheRatioIsAllowed() {
    RetryBudget budget = new RetryBudget(0.1, 0, 100, clock::get);

    assertEquals(10, failingRequests(budget, 100));
    assertEquals(90, budget.exhaustedCount());
  }

  @Test
  void theFloorRefillsWithTimeButBanksAtMostOneSecond() {
    RetryBudget budget = new RetryBudget(0.1, 10, 100, clock::get);
    assertEquals(10, drain(budget));

    clock.addAndGet(SECOND / 2);
    assertEquals(5, drain(budget));

    clock.addAndGet(3_600 * SECOND);
    assertEquals(10, drain(budget));
  }

  @Test
  void healthyTrafficBanksAtMostMaxBalance() {
    RetryBudget budget = new RetryBudget(0.1, 0, 100, clock::get);
    for (int i = 0; i < 100_000; i++) {
      budget.onRequest();
    }

    assertEquals(100, drain(budget));
  }

  @Test
  void theFloorSurvivesTheNanoClockWrapping() {
    clock.set(Long.MAX_VALUE - SECOND / 4);
    RetryBudget budget = new RetryBudget(0.1, 10, 100, clock::get);
    assertEquals(10, drain(budget));

    clock.addAndGet(SECOND); // wraps to a negative value
    assertEquals(10, drain(budget));
  }

  @Test
  void concurrentCallersNeverOverspend() throws Exception {
    RetryBudget budget = new RetryBudget(0.1, 10, 100, clock::get);
    for (int i = 0; i < 1_000; i++) {
      budget.onRequest();
    }
    int threads = 8;
    int triesEach = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(pool.submit(() -> {
        start.await();
        int won = 0;
        for (int i = 0; i < triesEach; i++) {
          won += budget.tryAcquireRetry() ? 1 : 0;
        }
        return won;
      }));
    }
    start.countDown();
    int allowed = 0;
    for (Future<Integer> result : results) {
      allowed += result.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertEquals(100 + 10, allowed);
    assertEquals(threads * triesEach - allowed, budget.exhaustedCount());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new RetryBudget(1.5, 10, 100, clock::get));
    assertThrows(IllegalArgumentException.class, () -> new RetryBudget(0.1, -1, 100, clock::get));
    assertThrows(IllegalArgumentException.class, () -> new RetryBudget(0.1, 10, 0, clock::get));
  }

  /** Each request fails once and asks for one retry; returns how many were allowed. */
  private static int failingRequests(RetryBudget budget, int requests) {
    int allowed = 0;
    for (int i = 0; i < requests; i++) {
      budget.onRequest();
      allowed += budget.tryAcquireRetry() ? 1 : 0;
    }
    return allowed;
  }

  private static int drain(RetryBudget budget) {
    int allowed = 0;
    while (budget.tryAcquireRetry()) {
      allowed++;
    }
    return allowed;
  }
}
