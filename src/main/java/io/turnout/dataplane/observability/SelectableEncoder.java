package io.turnout.dataplane.observability;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The console encoder, chosen by {@code <format>}: {@code json} (the logstash encoder: one JSON
 * object per line, structured fields as fields) or {@code text} (one readable line for a terminal:
 * time, level, logger, message, and the structured fields as {@code {key=value, ...}}). One
 * appender with a chosen encoder, rather than two appenders of which one is never used.
 */
public class SelectableEncoder extends EncoderBase<ILoggingEvent> {

  /** The text format's layout. */
  public static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg %marker%n";

  private String format = "json";
  private Encoder<ILoggingEvent> delegate;

  /** {@code json} or {@code text}; anything else is {@code json}. */
  public void setFormat(String format) {
    this.format = format == null ? "json" : format.strip();
  }

  public String getFormat() {
    return format;
  }

  @Override
  public void start() {
    if ("text".equalsIgnoreCase(format)) {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(TEXT_PATTERN);
      delegate = text;
    } else {
      LogstashEncoder json = new LogstashEncoder();
      json.setIncludeCallerData(false);
      delegate = json;
    }
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
