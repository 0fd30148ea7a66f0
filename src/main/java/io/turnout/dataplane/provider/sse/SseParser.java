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

  /** Receives each complete event's data as bytes (its {@code data:} lines joined with LF, undecoded). */
  @FunctionalInterface
  public interface ByteEventHandler {
    void onEvent(String event, byte[] data);
  }

  private final ByteEventHandler handler;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private String eventName;
  private byte[] data;
  private int dataLength = -1;

  /** A parser handing out each event's data decoded (invalid UTF-8 becomes U+FFFD). */
  public SseParser(EventHandler handler) {
    this.handler = (event, data) -> handler.onEvent(event, new String(data, StandardCharsets.UTF_8));
  }

  private SseParser(ByteEventHandler handler) {
    this.handler = handler;
  }

  /** A parser handing out each event's data as the bytes that arrived. */
  public static SseParser ofBytes(ByteEventHandler handler) {
    return new SseParser(handler);
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
    return lineLength > 0 || dataLength >= 0 || eventName != null;
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
    switch (field) {
      case "data" -> appendData(valueStart, length - valueStart);
      case "event" -> eventName = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
      default -> {
        // id, retry and unknown fields carry nothing a chat stream needs.
      }
    }
  }

  /** Adds a data line's value (after an LF when it is not the event's first). */
  private void appendData(int from, int length) {
    int needed = dataLength < 0 ? length : dataLength + 1 + length;
    if (data == null || data.length < needed) {
      byte[] bigger = new byte[Math.max(needed, data == null ? 0 : data.length * 2)];
      if (dataLength > 0) {
        System.arraycopy(data, 0, bigger, 0, dataLength);
      }
      data = bigger;
    }
    int at = 0;
    if (dataLength >= 0) {
      data[dataLength] = '\n';
      at = dataLength + 1;
    }
    System.arraycopy(line, from, data, at, length);
    dataLength = needed;
  }

  private void dispatch() {
    if (dataLength < 0) {
      eventName = null;
      return;
    }
    String event = eventName;
    byte[] payload = java.util.Arrays.copyOf(data, dataLength);
    eventName = null;
    dataLength = -1;
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
