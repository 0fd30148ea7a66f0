package io.turnout.dataplane.provider.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * An incremental Server-Sent Events parser: feed it network buffers as they arrive, in any
 * split, and it hands out complete events. Follows the SSE rules that matter for provider
 * streams: lines end in LF, CRLF or CR; {@code data:} lines of one event are joined with LF;
 * a leading space after the colon is dropped; lines starting with a colon are comments; a blank
 * line dispatches. Bytes are kept until a line is complete, so a multi-byte character split
 * across two buffers decodes correctly.
 *
 * <p>Not thread-safe: one parser per stream, used on the stream's event loop.
 */
public final class SseParser {

  /** Receives each complete event. Exceptions propagate out of {@link #feed(Buffer)}. */
  @FunctionalInterface
  public interface EventHandler {
    void onEvent(String event, String data);
  }

  private static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

  private final EventHandler handler;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private String eventName;
  private StringBuilder data;

  public SseParser(EventHandler handler) {
    this.handler = handler;
  }

  /**
   * Parses a buffer, dispatching every event it completes.
   *
   * @throws IllegalStateException when a single line exceeds 4 MiB (a broken or hostile upstream)
   */
  public void feed(Buffer buffer) {
    int length = buffer.length();
    for (int i = 0; i < length; i++) {
      byte b = buffer.getByte(i);
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false;
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
      } else {
        lastWasCr = false;
        append(b);
      }
    }
  }

  /** True when the parser holds part of an event that no blank line has dispatched yet. */
  public boolean hasPendingEvent() {
    return lineLength > 0 || data != null || eventName != null;
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      if (line.length >= MAX_LINE_BYTES) {
        throw new IllegalStateException("SSE line longer than " + MAX_LINE_BYTES + " bytes");
      }
      byte[] bigger = new byte[line.length * 2];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    int length = lineLength;
    lineLength = 0;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      return;
    }
    int colon = indexOf(line, length, (byte) ':');
    String field = colon < 0
        ? new String(line, 0, length, StandardCharsets.UTF_8)
        : new String(line, 0, colon, StandardCharsets.US_ASCII);
    int valueStart = colon < 0 ? length : colon + 1;
    if (valueStart < length && line[valueStart] == ' ') {
      valueStart++;
    }
    String value = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
    switch (field) {
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value.length());
        } else {
          data.append('\n');
        }
        data.append(value);
      }
      case "event" -> eventName = value;
      default -> {
        // id, retry and unknown fields carry nothing a chat stream needs.
      }
    }
  }

  private void dispatch() {
    if (data == null) {
      eventName = null;
      return;
    }
    String event = eventName;
    String payload = data.toString();
    eventName = null;
    data = null;
    handler.onEvent(event, payload);
  }

  private static int indexOf(byte[] bytes, int length, byte target) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == target) {
        return i;
      }
    }
    return -1;
  }
}
