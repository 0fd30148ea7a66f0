package io.turnout.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it, so expiry can be crossed without waiting for
 * it. Thread-safe: the node's event loops read it while the test thread steps it.
 */
public final class SteppedClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public SteppedClock(Instant start) {
    this(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  private SteppedClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock forward (or back, for a negative step). */
  public void advance(Duration step) {
    now.updateAndGet(instant -> instant.plus(step));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's time, as {@link Clock#withZone} requires. */
  @Override
  public Clock withZone(ZoneId other) {
    return new SteppedClock(now, other);
  }
}
