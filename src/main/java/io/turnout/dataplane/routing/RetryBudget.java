package io.turnout.dataplane.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Caps retries across all requests of a node so that a failing provider cannot turn every
 * request into two or four (runbook section 4: no retry storms). Two sources of retry tokens:
 *
 * <ul>
 *   <li>a ratio: each request deposits {@code ratio} of a token (10% by default), kept up to
 *       {@code maxBalance} tokens (10 by default) so healthy hours do not bank a burst for the
 *       start of an outage;
 *   <li>a floor: {@code floorPerSecond} tokens a second (at most one second banked), so a node with
 *       little traffic can still retry a blip.
 * </ul>
 *
 * Lock-free: each source is one {@link AtomicLong} updated by compare-and-set, because every event
 * loop of the node shares one budget and a lock would serialise them. Time comes only from the
 * injected nano clock.
 */
public final class RetryBudget {

  /** Retries allowed per request, on average: 10%. */
  public static final double DEFAULT_RATIO = 0.1;
  /** Retries per second allowed regardless of traffic. */
  public static final int DEFAULT_FLOOR_PER_SECOND = 10;
  /**
   * The most ratio tokens kept for a burst: one second of the floor. It bounds what healthy
   * traffic banks for the start of an outage: in the first second of one, a node retries at most
   * {@code max_balance + floor_per_second + ratio x requests} (20 + 10% by default), however many
   * healthy requests it served before (with 100, a node that had served 800 retried 60 of 60).
   */
  public static final int DEFAULT_MAX_BALANCE = 10;

  /** Ratio tokens are counted in millionths so that a 10% deposit is exact. */
  private static final long UNIT = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long deposit;
  private final long maxBalance;
  private final long floorInterval;
  private final long floorTolerance;
  private final LongSupplier nanoClock;
  private final AtomicLong balance = new AtomicLong();
  /** The floor's "theoretical arrival time" (GCRA): the bucket is full when it is at or before now. */
  private final AtomicLong floorTat;
  private final AtomicLong exhausted = new AtomicLong();

  /**
   * @param ratio retries per request, 0..1
   * @param floorPerSecond retries per second regardless of traffic, 0 for none
   * @param maxBalance the most ratio tokens kept, at least 1
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  public RetryBudget(double ratio, int floorPerSecond, int maxBalance, LongSupplier nanoClock) {
    if (!(ratio >= 0 && ratio <= 1) || floorPerSecond < 0 || maxBalance < 1) {
      throw new IllegalArgumentException("ratio must be 0..1, floorPerSecond >= 0 and maxBalance >= 1");
    }
    this.deposit = Math.round(ratio * UNIT);
    this.maxBalance = maxBalance * UNIT;
    this.floorInterval = floorPerSecond == 0 ? 0 : NANOS_PER_SECOND / floorPerSecond;
    this.floorTolerance = floorPerSecond == 0 ? 0 : (floorPerSecond - 1) * floorInterval;
    this.nanoClock = nanoClock;
    this.floorTat = new AtomicLong(nanoClock.getAsLong());
  }

  /** A budget with the {@code DEFAULT_*} settings. */
  public static RetryBudget withDefaults(LongSupplier nanoClock) {
    return new RetryBudget(DEFAULT_RATIO, DEFAULT_FLOOR_PER_SECOND, DEFAULT_MAX_BALANCE, nanoClock);
  }

  /** Records one request (not one attempt): it earns {@code ratio} of a retry. */
  public void onRequest() {
    balance.updateAndGet(b -> Math.min(maxBalance, b + deposit));
  }

  /** Takes one retry token; false (and counted as exhausted) when both sources are empty. */
  public boolean tryAcquireRetry() {
    if (tryRatio() || tryFloor()) {
      return true;
    }
    exhausted.incrementAndGet();
    return false;
  }

  /** How many retries were refused for want of budget since this budget was created. */
  public long exhaustedCount() {
    return exhausted.get();
  }

  private boolean tryRatio() {
    while (true) {
      long b = balance.get();
      if (b < UNIT) {
        return false;
      }
      if (balance.compareAndSet(b, b - UNIT)) {
        return true;
      }
    }
  }

  /** Generic cell rate algorithm: one long of state instead of a token count plus a refill time. */
  private boolean tryFloor() {
    if (floorInterval == 0) {
      return false;
    }
    while (true) {
      long now = nanoClock.getAsLong();
      long tat = floorTat.get();
      long start = tat - now < 0 ? now : tat; // subtraction, not compare: nanoTime may wrap
      if (start - now > floorTolerance) {
        return false;
      }
      if (floorTat.compareAndSet(tat, start + floorInterval)) {
        return true;
      }
    }
  }
}
