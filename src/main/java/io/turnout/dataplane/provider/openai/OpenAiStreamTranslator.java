package io.turnout.dataplane.provider.openai;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamTranslator;
import io.turnout.dataplane.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Checks an OpenAI-compatible stream chunk by chunk and relays each chunk's original bytes.
 *
 * <p>The node always asks the provider for usage (so gates and logs have numbers); when the client
 * did not ask for {@code include_usage}, the provider's usage-only chunk is kept for us and not
 * relayed. {@code [DONE]} is terminal only after some choice reported a finish_reason: a stream
 * that says done without ever finishing is a broken stream, not a short answer.
 */
final class OpenAiStreamTranslator implements StreamTranslator {

  private final boolean relayUsageChunk;
  private Usage usage = Usage.NONE;
  private String model;
  private boolean finished;

  OpenAiStreamTranslator(boolean relayUsageChunk) {
    this.relayUsageChunk = relayUsageChunk;
  }

  /**
   * The chunk's bytes are checked and read without a tree ({@link OpenAiChunkScan}) and relayed as
   * they came; an error event, {@code [DONE]} or anything the scan does not plainly accept goes
   * the tree way below, with the same outcome as before.
   */
  @Override
  public boolean onEvent(String event, byte[] data, Consumer<Buffer> out) {
    OpenAiChunkScan scan = "error".equals(event) ? null : OpenAiChunkScan.of(data);
    if (scan == null) {
      return onEvent(event, new String(data, StandardCharsets.UTF_8), out);
    }
    if (model == null) {
      model = scan.model();
    }
    if (scan.usage() != Usage.NONE) {
      usage = scan.usage();
    }
    finished |= scan.finished();
    if (!scan.usageOnly() || relayUsageChunk) {
      out.accept(Buffer.buffer(data));
    }
    return false;
  }

  @Override
  public boolean onEvent(String event, String data, Consumer<Buffer> out) {
    if ("[DONE]".equals(data)) {
      if (!finished) {
        throw OpenAiResponseCheck.malformed("stream ended with [DONE] before any finish_reason");
      }
      return true;
    }
    JsonObject chunk = "error".equals(event) ? parseQuietly(data) : parse(data);
    if (chunk != null && chunk.getValue("error") instanceof JsonObject error) {
      throw OpenAiErrors.fromStreamError(error);
    }
    if ("error".equals(event)) {
      // An error event whose data we cannot read is still the provider saying it failed.
      throw ProviderFailure.ours(ErrorClass.UPSTREAM_5XX, "provider sent an SSE error event", 200,
          FailureCode.STREAM_ERROR);
    }
    Usage chunkUsage = OpenAiResponseCheck.checkChunk(chunk);
    if (model == null && chunk.getValue("model") instanceof String m) {
      model = m;
    }
    if (chunkUsage != Usage.NONE) {
      usage = chunkUsage;
    }
    if (OpenAiResponseCheck.hasFinishReason(chunk)) {
      finished = true;
    }
    boolean usageOnly = chunk.getJsonArray("choices").isEmpty();
    if (!usageOnly || relayUsageChunk) {
      out.accept(Buffer.buffer(data));
    }
    return false;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public String providerModel() {
    return model;
  }

  private static JsonObject parseQuietly(String data) {
    try {
      return new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static JsonObject parse(String data) {
    try {
      return new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      throw OpenAiResponseCheck.malformed("stream event is not a JSON object");
    }
  }
}
