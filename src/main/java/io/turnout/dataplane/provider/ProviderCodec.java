package io.turnout.dataplane.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The wire mapping of one provider contract: our OpenAI-shaped call to the provider's request, and
 * its answers back to OpenAI shapes. Pure: no I/O, testable with golden JSON fixtures.
 */
public interface ProviderCodec {

  /** The upstream request body for a call. Never mutates {@code call.request()}. */
  Buffer encodeRequest(ChatCall call);

  /**
   * Checks and translates a 2xx non-streaming body.
   *
   * @throws ProviderFailure of class {@link ErrorClass#MALFORMED_RESPONSE} when a critical field is
   *     missing or wrong, or the body is not JSON
   */
  Completion decodeCompletion(Buffer body);

  /** Classifies a non-2xx answer; never throws. */
  ProviderFailure decodeError(int status, MultiMap headers, Buffer body);

  /** A translator for one upstream stream. */
  StreamTranslator newStreamTranslator(ChatCall call);

  /** The response header holding the provider's request id ({@code x-request-id}, {@code request-id}). */
  String requestIdHeader();
}
