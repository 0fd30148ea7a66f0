package io.turnout.dataplane.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The async appender drops lines when its queue is full (it never blocks a caller), and counts
 * each one it drops.
 */
class CountingAsyncAppenderTest {

  private final LoggerContext context = new LoggerContext();

  CountingAsyncAppenderTest() {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
  }

  @Test
  void aFullQueue_dropsAndCountsEachLine_withoutBlocking() throws InterruptedException {
    // GIVEN an appender with a queue of one in front of a writer that is stuck on its first line
    CountDownLatch firstTaken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AppenderBase<ILoggingEvent> stuck = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        firstTaken.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    stuck.setContext(context);
    stuck.start();
    CountingAsyncAppender async = new CountingAsyncAppender();
    async.setContext(context);
    async.setQueueSize(1);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(stuck);
    async.start();
    long before = CountingAsyncAppender.dropped();
    try {
      async.doAppend(event("first"));
      assertTrue(firstTaken.await(5, TimeUnit.SECONDS), () -> "the worker took the first line: "
          + context.getStatusManager().getCopyOfStatusList());
      async.doAppend(event("queued"));

      // WHEN five more lines arrive while the queue is full
      long started = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        async.doAppend(event("dropped " + i));
      }

      // THEN each is dropped at once and counted
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "the caller never blocked");
      assertEquals(5, CountingAsyncAppender.dropped() - before);
    } finally {
      release.countDown();
      async.stop();
    }
  }

  private LoggingEvent event(String message) {
    return new LoggingEvent(CountingAsyncAppenderTest.class.getName(), context.getLogger("test"), Level.INFO, message,
        null, null);
  }
}
