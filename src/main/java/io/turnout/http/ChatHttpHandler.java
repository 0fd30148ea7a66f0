package io.turnout.http;

import io.turnout.chat.ApiError;
import io.turnout.chat.ApiException;
import io.turnout.chat.ChatRequest;
import io.turnout.chat.ChatRequestCheck;
import io.turnout.chat.ChatService;
import io.turnout.chat.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/chat/completions}: parse and check the request, hand it to the
 * {@link ChatService}, and relay the answer, plain or as Server-Sent Events. When the client goes
 * away, the cancellation reaches the upstream attempt, which resets its request.
 */
final class ChatHttpHandler implements Handler<RoutingContext> {

  private final ChatService service;

  ChatHttpHandler(ChatService service) {
    this.service = service;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    String requestId = RequestIds.fromClient(ctx.request().getHeader(Headers.REQUEST_ID));
    ChatRequest request;
    try {
      request = ChatRequestCheck.check(parse(ctx.body().buffer()));
    } catch (ApiException rejected) {
      ErrorResponses.send(response, rejected.error(), requestId);
      return;
    }
    Promise<Void> cancelled = Promise.promise();
    response.closeHandler(v -> cancelled.tryComplete());
    try {
      if (request.stream()) {
        stream(request, requestId, cancelled, response);
      } else {
        complete(request, requestId, cancelled, response);
      }
    } catch (ApiException rejected) {
      ErrorResponses.send(response, rejected.error(), requestId);
    }
  }

  private void complete(ChatRequest request, String requestId, Promise<Void> cancelled, HttpServerResponse response) {
    service.complete(request, requestId, cancelled.future()).onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(response, apiError(ar.cause()), requestId);
        return;
      }
      if (response.closed()) {
        return;
      }
      response.putHeader("content-type", "application/json")
          .putHeader(Headers.REQUEST_ID, requestId)
          .putHeader(Headers.PROVIDER, ar.result().provider())
          .putHeader(Headers.ATTEMPTS, Integer.toString(ar.result().attempts()))
          .end(ar.result().result().body());
    });
  }

  private void stream(ChatRequest request, String requestId, Promise<Void> cancelled, HttpServerResponse response) {
    SseResponse sse = new SseResponse(response, requestId);
    service.stream(request, requestId, cancelled.future(), sse).onComplete(ar -> {
      if (ar.succeeded()) {
        sse.finish();
      } else {
        sse.fail(apiError(ar.cause()));
      }
    });
  }

  private static ApiError apiError(Throwable cause) {
    return cause instanceof ApiException api ? api.error()
        : new ApiError(500, "api_error", "internal error", null, "internal_error", null, null, -1);
  }

  private static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.invalidRequest("The request body is empty; expected a JSON object.", null, "invalid_json").exception();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiError.invalidRequest("We could not parse the JSON body of your request.", null, "invalid_json")
          .exception();
    }
    if (!(parsed instanceof JsonObject json)) {
      throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json").exception();
    }
    return json;
  }
}
