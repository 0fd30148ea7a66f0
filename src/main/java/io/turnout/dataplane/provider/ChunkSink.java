package io.turnout.dataplane.provider;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Where a provider relays stream chunks, one OpenAI {@code chat.completion.chunk} JSON at a time,
 * as they arrive. The sink exposes back-pressure so a slow client slows the upstream read instead
 * of filling memory.
 */
public interface ChunkSink {

  /**
   * Called before each upstream attempt starts, so the sink can name the provider whose chunk
   * reaches the client first. Optional.
   */
  default void onAttempt(String provider, int attempt) {}

  /** Relays one chunk: the JSON that follows {@code data: } in the client's SSE stream. */
  void onChunk(Buffer chunkJson);

  /** True while the client cannot take more; the provider pauses the upstream read. */
  boolean writeQueueFull();

  /** Called once the client can take more again. */
  void drainHandler(Handler<Void> handler);
}
