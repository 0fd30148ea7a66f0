package io.turnout.dataplane.provider;

import io.vertx.core.Future;

/**
 * One configured upstream provider: a contract (codec) bound to an endpoint, credentials,
 * timeouts and a connection pool. Instances belong to one event loop.
 */
public interface ChatProvider {

  /** The provider's configured name, e.g. {@code primary}, {@code cometapi}. */
  String name();

  /**
   * One non-streaming attempt.
   *
   * @return the checked completion, or a failure whose cause is a {@link ProviderFailure}
   */
  Future<Completion> complete(ChatCall call);

  /**
   * One streaming attempt. Chunks go to {@code sink} as they arrive. The future fails with a
   * {@link ProviderFailure}; if it fails before any chunk reached the sink, the caller may still
   * retry or fall back, after that it may not.
   */
  Future<StreamSummary> stream(ChatCall call, ChunkSink sink);

  /** Closes the connection pool. */
  Future<Void> close();

  /**
   * Closes the pooled connections of a provider no route version in force uses any more, letting
   * attempts in flight finish first; the next attempt opens a new pool. No-op by default.
   */
  default void releaseConnections() {}
}
