package io.turnout.testing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * Waits for an asynchronous side effect that has no completion signal of its own (e.g. the
 * simulator noticing that the node closed a connection). Polls on a Vert.x timer, never sleeps a
 * fixed time; fails the test when the deadline passes.
 */
public final class Eventually {

  private Eventually() {}

  public static void await(Vertx vertx, String what, long timeoutMs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
      }
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(20, id -> tick.complete());
      tick.future().await();
    }
  }

  /** Waits until {@code attempt} returns a value (not null), and returns it. */
  public static <T> T value(Vertx vertx, String what, long timeoutMs, java.util.function.Supplier<T> attempt) {
    Object[] found = new Object[1];
    await(vertx, what, timeoutMs, () -> (found[0] = attempt.get()) != null);
    @SuppressWarnings("unchecked")
    T value = (T) found[0];
    return value;
  }

  /**
   * Asserts that something does <em>not</em> happen: {@code condition} must hold at every poll
   * for the whole window. Absence can only be observed over a window; size it in the periods of
   * the mechanism under test (e.g. several file scans) and follow it with a positive check that
   * proves the mechanism was running during the window.
   */
  public static void holds(Vertx vertx, String what, long windowMs, BooleanSupplier condition) {
    long end = System.nanoTime() + windowMs * 1_000_000;
    while (System.nanoTime() < end) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(20, id -> tick.complete());
      tick.future().await();
    }
    if (!condition.getAsBoolean()) {
      throw new AssertionError("no longer true: " + what);
    }
  }
}
