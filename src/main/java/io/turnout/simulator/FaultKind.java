package io.turnout.simulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a scripted {@link Fault} does to one exchange. */
public enum FaultKind {
  /** An error status with a body in the contract's error shape, or a raw body. */
  STATUS("status"),
  /** A 200 whose body (or stream) breaks the contract in one {@link MalformedVariant} way. */
  MALFORMED("malformed"),
  /** A 200 with {@code Content-Type: text/html} and an HTML page. */
  WRONG_CONTENT_TYPE("wrong_content_type"),
  /** Headers (and, for a stream, the first events), then silence with the connection open. */
  STALL("stall"),
  /** Headers and part of the answer, then the connection is closed without the terminal event. */
  CUT("cut"),
  /** A stream that carries an error event after some events (non-stream: a 500). */
  ERROR_CHUNK("error_chunk"),
  /** The request is read and never answered; the connection stays open until the client leaves. */
  HANG("hang"),
  /** The connection is closed without any response. */
  RESET("reset");

  /** The accepted config values, for error messages. */
  public static final String ALLOWED =
      Arrays.stream(values()).map(FaultKind::wireName).collect(Collectors.joining(", "));

  private final String wireName;

  FaultKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in scripts and in request-log outcomes. */
  public String wireName() {
    return wireName;
  }

  /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} on anything else. */
  public static FaultKind fromWireName(String name) {
    for (FaultKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown fault kind: " + name);
  }
}
