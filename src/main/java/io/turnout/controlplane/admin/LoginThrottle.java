package io.turnout.controlplane.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down token guessing on the admin listener: an address that failed to authenticate
 * {@link #MAX_FAILURES} times within {@link #WINDOW} (a wrong bearer token on {@code /admin}, a
 * wrong token on the console's login) is refused with 429 until its oldest failure leaves the
 * window; a success does not clear the count, so a valid token cannot be used to keep guessing.
 * Bounded: at most {@link #MAX_ADDRESSES} addresses are remembered (the least recently failing is
 * forgotten). Used on one context (the admin verticle's), not thread-safe; time is injected.
 */
public final class LoginThrottle {

  public static final int MAX_FAILURES = 30;
  public static final Duration WINDOW = Duration.ofMinutes(1);
  static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Seconds until {@code address} may try again (at least 1), or 0 when it may now. */
  public long blockedForSeconds(String address) {
    Deque<Instant> recent = recent(address);
    if (recent == null || recent.size() < MAX_FAILURES) {
      return 0;
    }
    Duration left = Duration.between(clock.instant(), recent.peekFirst().plus(WINDOW));
    return Math.max(1, (left.toMillis() + 999) / 1000);
  }

  /** Counts one failed attempt from {@code address}. */
  public void failed(String address) {
    Deque<Instant> recent = recent(address);
    if (recent == null) {
      recent = new ArrayDeque<>();
      failures.put(address, recent);
    }
    recent.addLast(clock.instant());
    while (recent.size() > MAX_FAILURES) {
      recent.removeFirst();
    }
  }

  /** The failures of {@code address} still inside the window, or null. */
  private Deque<Instant> recent(String address) {
    Deque<Instant> recent = failures.get(address);
    if (recent == null) {
      return null;
    }
    Instant since = clock.instant().minus(WINDOW);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(since)) {
      recent.removeFirst();
    }
    if (recent.isEmpty()) {
      failures.remove(address);
      return null;
    }
    return recent;
  }
}
