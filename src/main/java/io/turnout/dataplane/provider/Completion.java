package io.turnout.dataplane.provider;

import io.vertx.core.buffer.Buffer;

/**
 * A successful, contract-checked, non-streaming answer.
 *
 * @param body the OpenAI {@code chat.completion} JSON to send to the client
 * @param usage token usage, {@link Usage#NONE} when the provider reported none
 * @param providerModel the model the provider says answered, or null
 * @param providerRequestId the provider's request id, or null
 */
public record Completion(Buffer body, Usage usage, String providerModel, String providerRequestId) {

  /** The same answer with the provider request id taken from the response headers. */
  public Completion withProviderRequestId(String id) {
    return new Completion(body, usage, providerModel, id);
  }
}
