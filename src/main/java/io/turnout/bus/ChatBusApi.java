package io.turnout.bus;

import io.turnout.chat.ApiError;
import io.turnout.chat.ApiException;
import io.turnout.chat.ChatRequest;
import io.turnout.chat.ChatRequestCheck;
import io.turnout.chat.ChatService;
import io.turnout.chat.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The chat API for JVM services on the event bus: the same contract as
 * {@code POST /v1/chat/completions}, non-streaming, request/reply.
 *
 * <p>Send a {@link JsonObject} (the OpenAI chat request) to {@link #ADDRESS}, optionally with
 * header {@code x-request-id}. The reply body is the OpenAI {@code chat.completion} JSON, with
 * headers {@code x-request-id}, {@code x-turnout-provider} and {@code x-turnout-attempts}. A
 * failure is a {@code ReplyException} whose failure code is the HTTP status the HTTP API would
 * answer and whose message is the JSON text of {@link ApiError#toBusJson()}: OpenAI's error body
 * plus {@code error_class}, {@code provider} and {@code status}.
 */
public final class ChatBusApi {

  /** The request/reply address of the chat API. */
  public static final String ADDRESS = "turnout.chat.completions";

  private final ChatService service;

  public ChatBusApi(ChatService service) {
    this.service = service;
  }

  /** Registers this instance's consumer; several instances share the address round-robin. */
  public Future<MessageConsumer<Object>> register(Vertx vertx) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion().map(consumer);
  }

  private void handle(Message<Object> message) {
    String requestId = RequestIds.fromClient(message.headers().get("x-request-id"));
    ChatRequest request;
    try {
      if (!(message.body() instanceof JsonObject body)) {
        throw ApiError.invalidRequest("The message body must be a JSON object (the OpenAI chat request).", null,
            "invalid_json").exception();
      }
      request = ChatRequestCheck.check(body);
      if (request.stream()) {
        throw ApiError.invalidRequest("Streaming is not available on the event bus; use HTTP for stream: true.",
            "stream", "unsupported_parameter").exception();
      }
    } catch (ApiException rejected) {
      fail(message, rejected.error());
      return;
    }
    // The bus has no disconnect signal: the attempt runs to its own deadline.
    Promise<Void> cancelled = Promise.promise();
    Future<JsonObject> reply;
    try {
      reply = service.complete(request, requestId, cancelled.future()).map(answer -> {
        DeliveryOptions options = new DeliveryOptions()
            .addHeader("x-request-id", requestId)
            .addHeader("x-turnout-provider", answer.provider())
            .addHeader("x-turnout-attempts", Integer.toString(answer.attempts()));
        message.reply(answer.result().body().toJsonObject(), options);
        return null;
      });
    } catch (ApiException rejected) {
      fail(message, rejected.error());
      return;
    }
    reply.onFailure(cause -> fail(message, cause instanceof ApiException api ? api.error()
        : new ApiError(500, "api_error", "internal error", null, "internal_error", null, null, -1)));
  }

  private static void fail(Message<Object> message, ApiError error) {
    message.fail(error.status(), error.toBusJson().encode());
  }
}
