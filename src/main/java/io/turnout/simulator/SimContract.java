package io.turnout.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The wire side of one simulated contract: request checks, answers, stream events and error
 * shapes. Pure: no I/O, no clock, no randomness; the exchange decides when and how bytes go out.
 */
interface SimContract {

  static SimContract of(SimContractKind kind) {
    return switch (kind) {
      case OPENAI -> new OpenAiSimContract();
      case ANTHROPIC -> new AnthropicSimContract();
    };
  }

  /** The one path this contract answers under the provider's prefix. */
  String completionPath();

  /** The response header that carries the provider's request id. */
  String requestIdHeader();

  /** The request id of the provider's {@code seq}-th request. */
  String requestId(String provider, long seq);

  /** The request header that carries the key (its value is redacted in the request log). */
  String authHeader();

  /** The key the request presents in {@link #authHeader()}, or null. */
  String presentedKey(MultiMap headers);

  /** Why an unauthorised request is refused (401). */
  SimRejection authFailure(boolean keyPresent);

  /** Checks headers and body like the real provider; null when acceptable. {@code body} is null when not JSON. */
  SimRejection validate(MultiMap headers, JsonObject body);

  /** Whether the request asks for a stream. */
  default boolean stream(JsonObject body) {
    return body != null && Boolean.TRUE.equals(body.getValue("stream"));
  }

  /** Whether a stream should carry usage (OpenAI only with {@code stream_options.include_usage}). */
  boolean streamUsageRequested(JsonObject body);

  /** The answer to a valid request. */
  SimAnswer answer(String provider, long seq, JsonObject body, long createdSeconds);

  /** An error body in the contract's shape; {@code type} null derives it from the status. */
  JsonObject errorBody(int status, String type, String message, String param, String code, String requestId);

  /** The body of a scripted {@code status} fault; {@code errorCode} (nullable) is the script's override. */
  JsonObject faultBody(int status, String errorCode, String requestId);

  /** A non-stream answer body, broken by {@code variant} unless it is null. */
  Buffer completion(SimAnswer answer, boolean usage, MalformedVariant variant);

  /** A stream answer, broken by {@code variant} unless it is null. */
  SimStreamPlan stream(SimAnswer answer, boolean usage, MalformedVariant variant);

  /** An error event in the middle of a stream; {@code errorType} null takes the contract's default. */
  SseEvent errorEvent(String errorType, String requestId);

  /** The {@code Content-Type} of a stream. */
  String streamContentType();

  /** Compares keys in constant time, so the simulator is no worse than a real provider. */
  static boolean sameKey(String presented, String expected) {
    return presented != null && MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
