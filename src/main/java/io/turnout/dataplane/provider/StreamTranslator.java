package io.turnout.dataplane.provider;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns one upstream stream, event by event, into OpenAI chunks. One instance per stream; not
 * thread-safe (a stream lives on one event loop). Implementations are pure: no I/O, no clock.
 */
public interface StreamTranslator {

  /**
   * Consumes one upstream SSE event.
   *
   * @param event the SSE {@code event:} name, or null when the event had none
   * @param data the event's {@code data:} lines joined with newlines
   * @param out receives zero or more OpenAI chunk JSONs to relay, in order
   * @return true when this was the stream's terminal event ({@code [DONE]}, {@code message_stop})
   * @throws ProviderFailure when the event is an error or breaks the contract
   */
  boolean onEvent(String event, String data, Consumer<Buffer> out);

  /**
   * Consumes one upstream SSE event as the bytes that arrived; the same contract as
   * {@link #onEvent(String, String, Consumer)}, which it calls with the data decoded unless the
   * translator can do without.
   */
  default boolean onEvent(String event, byte[] data, Consumer<Buffer> out) {
    return onEvent(event, new String(data, java.nio.charset.StandardCharsets.UTF_8), out);
  }

  /** Usage seen so far, {@link Usage#NONE} if none. */
  Usage usage();

  /** The model the provider reported, or null. */
  String providerModel();
}
