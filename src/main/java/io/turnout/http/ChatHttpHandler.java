package io.turnout.http;

import io.turnout.chat.ApiError;
import io.turnout.chat.ApiException;
import io.turnout.chat.ChatRequest;
import io.turnout.chat.ChatRequestCheck;
import io.turnout.chat.ChatService;
import io.turnout.chat.RequestIds;
import io.turnout.chat.RequestTrace;
import io.turnout.observability.HttpFacts;
import io.turnout.observability.RequestObserver;
import io.turnout.tenancy.Caller;
import io.turnout.tenancy.ClientRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /v1/chat/completions}: authenticate the caller, parse and check the request, hand
 * it to the {@link ChatService}, and relay the answer, plain or as Server-Sent Events. When the
 * client goes away, the cancellation reaches the upstream attempt, which resets its request.
 */
final class ChatHttpHandler implements Handler<RoutingContext> {

  private final ChatService service;
  private final ClientRegistry clients;
  private final RequestObserver observer;

  ChatHttpHandler(ChatService service, ClientRegistry clients, RequestObserver observer) {
    this.service = service;
    this.clients = clients;
    this.observer = observer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest httpRequest = ctx.request();
    HttpServerResponse response = ctx.response();
    RequestTrace trace = new RequestTrace(RequestIds.fromClient(httpRequest.getHeader(Headers.REQUEST_ID)),
        httpRequest.getHeader(Headers.STABLE_KEY));
    Promise<Void> cancelled = Promise.promise();
    observer.started(trace, httpRequest::getHeader, httpRequest.method().name(), "/v1/chat/completions");
    observe(httpRequest, response, trace, cancelled);
    Caller caller = clients.authenticate(httpRequest.getHeader("authorization"));
    if (caller == null) {
      ErrorResponses.send(response, ApiError.client(401, "invalid_request_error",
          "Missing or unknown API key. Send 'Authorization: Bearer <key>' with a key configured for this node.",
          "invalid_api_key"), trace);
      return;
    }
    if (!declaresJson(httpRequest.getHeader("content-type"))) {
      ErrorResponses.send(response, ApiError.client(415, "invalid_request_error",
          "The request body must be JSON, sent with 'Content-Type: application/json'.", "unsupported_media_type"),
          trace);
      return;
    }
    ChatRequest request;
    try {
      request = ChatRequestCheck.check(parse(JsonBody.of(ctx)));
    } catch (ApiException rejected) {
      ErrorResponses.send(response, rejected.error(), trace);
      return;
    }
    try {
      if (request.stream()) {
        trace.streaming();
        stream(request, caller, trace, cancelled, response);
      } else {
        complete(request, caller, trace, cancelled, response);
      }
    } catch (ApiException rejected) {
      ErrorResponses.send(response, rejected.error(), trace);
    }
  }

  private void complete(ChatRequest request, Caller caller, RequestTrace trace, Promise<Void> cancelled,
      HttpServerResponse response) {
    service.complete(request, caller, trace, cancelled.future()).onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(response, apiError(ar.cause()), trace);
        return;
      }
      if (response.closed()) {
        return;
      }
      Headers.write(response, trace);
      response.putHeader("content-type", "application/json").end(ar.result().body());
    });
  }

  private void stream(ChatRequest request, Caller caller, RequestTrace trace, Promise<Void> cancelled,
      HttpServerResponse response) {
    SseResponse sse = new SseResponse(response, trace);
    service.stream(request, caller, trace, cancelled.future(), sse).onComplete(ar -> {
      if (ar.succeeded()) {
        sse.finish();
      } else {
        sse.fail(apiError(ar.cause()));
      }
    });
  }

  /**
   * One log line and one metrics record per request: when the answer ends, or when the client left
   * first (then the attempt is cancelled too, and the request is recorded as 499).
   */
  private void observe(HttpServerRequest request, HttpServerResponse response, RequestTrace trace,
      Promise<Void> cancelled) {
    boolean[] done = new boolean[1];
    response.endHandler(v -> {
      if (!done[0]) {
        done[0] = true;
        observer.completed(trace, response.getStatusCode(), HttpFacts.of(request, response));
      }
    });
    response.closeHandler(v -> {
      cancelled.tryComplete();
      if (!done[0] && !response.ended()) {
        done[0] = true;
        observer.completed(trace, 499, HttpFacts.of(request, response));
      }
    });
  }

  static ApiError apiError(Throwable cause) {
    return cause instanceof ApiException api ? api.error()
        : new ApiError(500, "api_error", "internal error", null, "internal_error", null, null, -1);
  }

  /**
   * A body declared as something other than JSON (a form post, {@code text/plain}) is refused
   * rather than parsed anyway: the client did not mean it as this request, and {@code text/plain}
   * is what a browser page may post cross-origin without a preflight. No content type at all is
   * accepted; the body must still parse as a JSON object.
   */
  private static boolean declaresJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
        .toLowerCase(Locale.ROOT);
    return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
  }

  /**
   * JSON text must be UTF-8 (RFC 8259), and the parser alone does not ensure it: it decodes
   * overlong forms, encoded surrogates and code points past U+10FFFF into characters the client
   * never wrote, which would then be re-encoded and sent upstream. The JDK's decoder refuses all
   * of them; decoded characters go to a small scratch buffer and are dropped.
   */
  private static boolean isUtf8(Buffer body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body.getBytes());
    CharBuffer scratch = CharBuffer.allocate(4096);
    while (true) {
      CoderResult result = decoder.decode(in, scratch, true);
      if (result.isError()) {
        return false;
      }
      if (result.isUnderflow()) {
        return !decoder.flush(scratch.clear()).isError();
      }
      scratch.clear();
    }
  }

  private static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.invalidRequest("The request body is empty; expected a JSON object.", null, "invalid_json").exception();
    }
    if (!isUtf8(body)) {
      throw ApiError.invalidRequest("The request body is not valid UTF-8.", null, "invalid_json").exception();
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
