package io.turnout.dataplane.provider.anthropic;

import io.turnout.dataplane.provider.ChatCall;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ProviderCodec;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamTranslator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The Anthropic Messages contract ({@code POST /v1/messages}) behind our OpenAI-shaped API. Pure: no
 * I/O; the only time it reads is OpenAI's {@code created}, from the injected clock.
 *
 * <h2>Request mapping</h2>
 * <ul>
 *   <li>{@code model} is the call's pinned provider model id. {@code max_tokens} is always sent
 *       (Anthropic requires it): {@code max_completion_tokens}, else {@code max_tokens}, else the
 *       configured default.</li>
 *   <li>System and developer messages, wherever they stand, are joined with a blank line into the
 *       top-level {@code system} (each text part is one piece).</li>
 *   <li>User text and images ({@code data:} base64 or http(s) URLs; {@code detail} is dropped),
 *       assistant text, refusals and tool calls ({@code arguments} parsed into {@code input}; blank
 *       arguments become {@code {}}), and tool results (as user {@code tool_result} blocks) are
 *       mapped; consecutive messages of one Anthropic role are merged into one message.</li>
 *   <li>{@code temperature}, {@code top_p} are copied; {@code stop} becomes {@code stop_sequences};
 *       {@code user} becomes {@code metadata.user_id}; {@code tools}, {@code tool_choice} and
 *       {@code parallel_tool_calls: false} are translated (the last only when tools are given and
 *       tool choice is not {@code none}); {@code stream: true} is sent when the call streams.</li>
 * </ul>
 *
 * <h2>Rejected (VALIDATION, code {@code unsupported_parameter}, {@code param} names the field)</h2>
 * Requests whose meaning Anthropic cannot deliver fail instead of being quietly answered in another
 * way: {@code n} other than 1, {@code logprobs: true}, {@code response_format} other than
 * {@code text}, audio output ({@code audio}, {@code modalities} with {@code audio}), the legacy
 * {@code functions}/{@code function_call}, roles other than system/developer/user/assistant/tool,
 * content parts other than text/image_url (text only for system, developer and tool messages),
 * tool types other than {@code function}, and image URLs that are neither http(s) nor base64 data.
 * Malformed values (e.g. tool call arguments that are not a JSON object, a tool message without
 * {@code tool_call_id}) fail the same way with code {@code invalid_value}.
 *
 * <h2>Dropped</h2>
 * Optional OpenAI fields that only tune or annotate an answer: {@code seed}, {@code presence_penalty},
 * {@code frequency_penalty}, {@code logit_bias}, {@code top_logprobs}, {@code store},
 * {@code metadata}, {@code service_tier}, {@code reasoning_effort}, {@code stream_options} (usage is
 * reported from the call's {@code includeUsage}), {@code prediction}, message {@code name}, tool
 * {@code strict}. Unknown fields are dropped as well: they belong to the OpenAI contract and
 * Anthropic rejects fields it does not know.
 */
public final class AnthropicCodec implements ProviderCodec {

  private final AnthropicRequestEncoder encoder;
  private final LongSupplier epochSecondsClock;

  /**
   * @param defaultMaxTokens the {@code max_tokens} sent when the client set no limit; at least 1
   * @param epochSecondsClock supplies OpenAI's {@code created} (seconds since the epoch)
   */
  public AnthropicCodec(int defaultMaxTokens, LongSupplier epochSecondsClock) {
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("defaultMaxTokens must be at least 1: " + defaultMaxTokens);
    }
    this.encoder = new AnthropicRequestEncoder(defaultMaxTokens);
    this.epochSecondsClock = Objects.requireNonNull(epochSecondsClock, "epochSecondsClock");
  }

  /**
   * The Anthropic Messages body for a call; never mutates {@code call.request()}.
   *
   * @throws ProviderFailure VALIDATION naming the offending {@code param} when the request cannot be
   *     honoured or is malformed
   */
  @Override
  public Buffer encodeRequest(ChatCall call) {
    return encoder.encode(call).toBuffer();
  }

  /**
   * An Anthropic message as an OpenAI {@code chat.completion}, with {@code created} from the clock.
   *
   * @throws ProviderFailure MALFORMED_RESPONSE naming the field when a critical field is missing or
   *     wrong, or the body is not JSON
   */
  @Override
  public Completion decodeCompletion(Buffer body) {
    return AnthropicResponseDecoder.decode(body, epochSecondsClock.getAsLong());
  }

  /**
   * Classifies a non-2xx answer by status, keeping Anthropic's error type as {@code code}, its
   * message (at most 500 characters), its request id (body, else {@code request-id} header) and the
   * retry delay ({@code retry-after-ms}, else {@code retry-after} seconds). Never throws.
   */
  @Override
  public ProviderFailure decodeError(int status, MultiMap headers, Buffer body) {
    return AnthropicErrors.fromResponse(status, headers, body, () -> epochSecondsClock.getAsLong() * 1000);
  }

  /**
   * A translator from Anthropic stream events to OpenAI chunks; {@code created} is read from the
   * clock once, so every chunk of the stream carries the same value.
   */
  @Override
  public StreamTranslator newStreamTranslator(ChatCall call) {
    return new AnthropicStreamTranslator(epochSecondsClock.getAsLong(), call.includeUsage(), call.providerModelId());
  }

  /** {@code request-id}. */
  @Override
  public String requestIdHeader() {
    return AnthropicErrors.REQUEST_ID_HEADER;
  }
}
