package io.turnout.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Captures log events in memory, encoded by the same {@link LogstashEncoder} production uses, so
 * the captured text holds exactly what would reach stdout, structured fields included. Closing it
 * detaches the appender and restores every level it changed.
 */
public final class LogCapture implements AutoCloseable {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger attachedTo;
  private final Map<Logger, Level> savedLevels = new LinkedHashMap<>();
  private final List<String> lines = new ArrayList<>();
  private final List<String> loggerNames = new ArrayList<>();
  private final Appender appender = new Appender();

  private LogCapture(String loggerName) {
    this.attachedTo = context.getLogger(loggerName);
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    appender.encoder = encoder;
    appender.setContext(context);
    appender.setName("test-capture-" + System.identityHashCode(this));
    appender.start();
    attachedTo.addAppender(appender);
  }

  /**
   * Everything every logger writes at DEBUG and above: the root and every logger with a level of
   * its own (e.g. {@code io.netty} and {@code com.hazelcast}, WARN in production) are set to DEBUG
   * until {@link #close()}.
   */
  public static LogCapture everythingAtDebug() {
    LogCapture capture = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Logger logger : capture.context.getLoggerList()) {
      if (logger.getLevel() != null) {
        capture.savedLevels.put(logger, logger.getLevel());
        logger.setLevel(Level.DEBUG);
      }
    }
    return capture;
  }

  /** What one logger (and its children) writes at its configured level. */
  public static LogCapture logger(String name) {
    return new LogCapture(name);
  }

  /** The encoded lines so far, one JSON object each. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The encoded lines so far, parsed. */
  public List<JsonObject> json() {
    return lines().stream().map(JsonObject::new).toList();
  }

  /** Every captured line, joined. */
  public String text() {
    return String.join("\n", lines());
  }

  /** The names of the loggers that wrote the captured lines, in order. */
  public List<String> loggerNames() {
    synchronized (lines) {
      return List.copyOf(loggerNames);
    }
  }

  @Override
  public void close() {
    attachedTo.detachAppender(appender);
    appender.stop();
    savedLevels.forEach(Logger::setLevel);
    savedLevels.clear();
  }

  private final class Appender extends AppenderBase<ILoggingEvent> {
    private LogstashEncoder encoder;

    @Override
    protected void append(ILoggingEvent event) {
      String line = new String(encoder.encode(event), StandardCharsets.UTF_8).strip();
      synchronized (lines) {
        lines.add(line);
        loggerNames.add(event.getLoggerName());
      }
    }
  }
}
