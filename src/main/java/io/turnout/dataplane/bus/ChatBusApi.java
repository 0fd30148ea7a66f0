package io.turnout.dataplane.bus;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.chat.ApiException;
import io.turnout.dataplane.chat.ChatRequest;
import io.turnout.dataplane.chat.ChatRequestCheck;
import io.turnout.dataplane.chat.ChatService;
import io.turnout.dataplane.chat.RequestIds;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.observability.RequestObserver;
import io.turnout.dataplane.tenancy.Caller;
import io.turnout.dataplane.tenancy.ClientRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
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
 * <p>Send a {@link JsonObject} (the OpenAI chat request) to {@link #ADDRESS}, with headers
 * {@code authorization: Bearer <client key>} (when the node configures client keys) and,
 * optionally, {@code x-request-id} and {@code x-turnout-stable-key}. The reply body is the
 * OpenAI {@code chat.completion} JSON, with the same {@code x-request-id} and {@code x-turnout-*}
 * headers as the HTTP answer. A failure is a {@code ReplyException} whose failure code is the
 * HTTP status the HTTP API would answer and whose message is the JSON text of
 * {@link ApiError#toBusJson()}: OpenAI's error body plus {@code error_class}, {@code provider}
 * and {@code status}.
 */
public final class ChatBusApi {

  /** The request/reply address of the chat API. */
  public static final String ADDRESS = "turnout.chat.completions";

  private final ChatService service;
  private final ClientRegistry clients;
  private final RequestObserver observer;

  public ChatBusApi(ChatService service, ClientRegistry clients, RequestObserver observer) {
    this.service = service;
    this.clients = clients;
    this.observer = observer;
  }

  /** Registers this instance's consumer; several instances share the address round-robin. */
  public Future<MessageConsumer<Object>> register(Vertx vertx) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion().map(consumer);
  }

  private void handle(Message<Object> message) {
    MultiMap headers = message.headers();
    RequestTrace trace = new RequestTrace(RequestIds.fromClient(headers.get("x-request-id")),
        headers.get("x-turnout-stable-key"));
    try {
      Caller caller = clients.authenticate(headers.get("authorization"));
      if (caller == null) {
        throw ApiError.client(401, "invalid_request_error", "Missing or unknown API key in header 'authorization'.",
            "invalid_api_key").exception();
      }
      if (!(message.body() instanceof JsonObject body)) {
        throw ApiError.invalidRequest("The message body must be a JSON object (the OpenAI chat request).", null,
            "invalid_json").exception();
      }
      ChatRequest request = ChatRequestCheck.check(body);
      if (request.stream()) {
        throw ApiError.invalidRequest("Streaming is not available on the event bus; use HTTP for stream: true.",
            "stream", "unsupported_parameter").exception();
      }
      // The bus has no disconnect signal: the attempts run to the route's deadline.
      Promise<Void> cancelled = Promise.promise();
      service.complete(request, caller, trace, cancelled.future()).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result().body().toJsonObject(), replyHeaders(trace));
          observer.completed(trace, 200);
        } else {
          fail(message, ar.cause() instanceof ApiException api ? api.error()
              : new ApiError(500, "api_error", "internal error", null, "internal_error", null, null, -1), trace);
        }
      });
    } catch (ApiException rejected) {
      fail(message, rejected.error(), trace);
    }
  }

  private static DeliveryOptions replyHeaders(RequestTrace trace) {
    DeliveryOptions options = new DeliveryOptions().addHeader("x-request-id", trace.requestId());
    put(options, "x-turnout-route-version", trace.routeVersion());
    put(options, "x-turnout-route", trace.role());
    put(options, "x-turnout-provider", trace.provider());
    options.addHeader("x-turnout-attempts", Integer.toString(trace.attempts()));
    options.addHeader("x-turnout-fallback", trace.fallbackReason() == null ? "none" : trace.fallbackReason());
    return options;
  }

  private static void put(DeliveryOptions options, String name, String value) {
    if (value != null) {
      options.addHeader(name, value);
    }
  }

  private void fail(Message<Object> message, ApiError error, RequestTrace trace) {
    message.fail(error.status(), error.toBusJson().encode());
    observer.completed(trace, error.status());
  }
}
