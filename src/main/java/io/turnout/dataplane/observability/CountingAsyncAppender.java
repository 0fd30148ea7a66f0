package io.turnout.dataplane.observability;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logback's {@link AsyncAppender} (configured with {@code neverBlock}, so an event loop never waits
 * on stdout) that counts the lines it drops because its queue is full, instead of losing them
 * silently: {@code turnout_log_lines_dropped_total}. A line is counted as dropped when the queue
 * has no room at the moment it is appended, which is exactly when the non-blocking offer refuses it
 * (up to a line racing the worker's take).
 */
public class CountingAsyncAppender extends AsyncAppender {

  private static final AtomicLong DROPPED = new AtomicLong();

  /** Lines dropped by every instance in this JVM since it started. */
  public static long dropped() {
    return DROPPED.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (isStarted() && isNeverBlock() && getRemainingCapacity() == 0) {
      DROPPED.incrementAndGet();
    }
    super.append(event);
  }
}
