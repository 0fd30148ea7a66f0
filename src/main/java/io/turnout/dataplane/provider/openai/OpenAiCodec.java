package io.turnout.dataplane.provider.openai;

import io.turnout.dataplane.provider.ChatCall;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ProviderCodec;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamTranslator;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * The OpenAI chat-completions contract, spoken by OpenAI, CometAPI and other compatible providers.
 *
 * <p>Requests pass through untouched except {@code model} (the pinned provider model id) and, for
 * streams when {@code requestStreamUsage} is on, {@code stream_options.include_usage} (so the node
 * always learns token usage). Answers are checked strictly and relayed as the provider's bytes.
 */
public final class OpenAiCodec implements ProviderCodec {

  private final boolean requestStreamUsage;
  private final LongSupplier nowMillis;

  /**
   * @param requestStreamUsage ask the provider for usage on every stream (turn off for a provider
   *     that rejects {@code stream_options})
   * @param nowMillis wall clock, used only to read an HTTP-date Retry-After
   */
  public OpenAiCodec(boolean requestStreamUsage, LongSupplier nowMillis) {
    this.requestStreamUsage = requestStreamUsage;
    this.nowMillis = nowMillis;
  }

  @Override
  public Buffer encodeRequest(ChatCall call) {
    // A shallow copy: the client's nested objects are shared, never modified.
    JsonObject upstream = new JsonObject(new LinkedHashMap<>(call.request().getMap()));
    upstream.put("model", call.providerModelId());
    if (call.stream() && requestStreamUsage && !call.includeUsage()) {
      JsonObject options = call.request().getValue("stream_options") instanceof JsonObject o
          ? new JsonObject(new LinkedHashMap<>(o.getMap())) : new JsonObject();
      upstream.put("stream_options", options.put("include_usage", true));
    }
    return upstream.toBuffer();
  }

  @Override
  public Completion decodeCompletion(Buffer body) {
    JsonObject json;
    try {
      Object parsed = body.length() == 0 ? null : body.toJsonValue();
      if (!(parsed instanceof JsonObject object)) {
        throw OpenAiResponseCheck.malformed("body is not a JSON object");
      }
      json = object;
    } catch (DecodeException e) {
      throw OpenAiResponseCheck.malformed("body is not JSON");
    }
    Usage usage = OpenAiResponseCheck.checkCompletion(json);
    return new Completion(body, usage, json.getString("model"), null);
  }

  @Override
  public ProviderFailure decodeError(int status, MultiMap headers, Buffer body) {
    return OpenAiErrors.fromResponse(status, headers, body, nowMillis);
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatCall call) {
    return new OpenAiStreamTranslator(call.includeUsage());
  }

  @Override
  public String requestIdHeader() {
    return "x-request-id";
  }
}
