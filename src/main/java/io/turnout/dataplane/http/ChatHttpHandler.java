package io.turnout.dataplane.http;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.chat.ApiException;
import io.turnout.dataplane.chat.ChatRequest;
import io.turnout.dataplane.chat.ChatRequestCheck;
import io.turnout.dataplane.chat.ChatService;
import io.turnout.dataplane.chat.RequestIds;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.observability.RequestLog;
import io.turnout.dataplane.observability.HttpFacts;
import io.turnout.dataplane.observability.RequestObserver;
import io.turnout.dataplane.tenancy.Caller;
import io.turnout.dataplane.tenancy.ClientRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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
  private final FrontDoor door;

  /** @param door where requests in flight are registered for a graceful shutdown, or null */
  ChatHttpHandler(ChatService service, ClientRegistry clients, RequestObserver observer, FrontDoor door) {
    this.service = service;
    this.clients = clients;
    this.observer = observer;
    this.door = door;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest httpRequest = ctx.request();
    HttpServerResponse response = ctx.response();
    RequestTrace trace = new RequestTrace(RequestIds.fromClient(httpRequest.getHeader(Headers.REQUEST_ID)),
        httpRequest.getHeader(Headers.STABLE_KEY));
    Promise<Void> cancelled = Promise.promise();
    ShutdownAbort abort = door == null ? null : new ShutdownAbort(ctx, response, trace, cancelled);
    observer.started(trace, httpRequest::getHeader, httpRequest.method().name(), "/v1/chat/completions");
    observe(ctx, trace, cancelled, abort);
    if (door != null && door.draining() && !response.headWritten()) {
      // Shutting down: answer this one, then let the client reconnect elsewhere.
      response.putHeader("connection", "close");
    }
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
    trace.identified(caller);
    String encoding = httpRequest.getHeader("content-encoding");
    if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
      // Nothing is decoded here: a compressed body would reach the checks as bytes they cannot read.
      ErrorResponses.send(response, ApiError.client(415, "invalid_request_error",
          "Content-Encoding '" + shorten(encoding) + "' is not supported; send the body uncompressed.",
          "unsupported_content_encoding"), trace);
      return;
    }
    ChatRequest request;
    try {
      JsonObject body = parse(JsonBody.of(ctx));
      if (body.getValue("model") instanceof String alias) {
        trace.askedFor(alias);
      }
      request = ChatRequestCheck.check(body);
    } catch (ApiException rejected) {
      ErrorResponses.send(response, rejected.error(), trace);
      return;
    }
    try {
      if (abort != null) {
        door.started(abort);
      }
      if (request.stream()) {
        trace.streaming();
        stream(request, caller, trace, cancelled, response, abort);
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
      if (response.closed() || response.ended()) {
        return;
      }
      Headers.write(response, trace);
      response.putHeader("content-type", "application/json").end(ar.result().body());
    });
  }

  private void stream(ChatRequest request, Caller caller, RequestTrace trace, Promise<Void> cancelled,
      HttpServerResponse response, ShutdownAbort abort) {
    SseResponse sse = new SseResponse(response, trace);
    if (abort != null) {
      abort.stream(sse);
    }
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
  private void observe(RoutingContext ctx, RequestTrace trace, Promise<Void> cancelled, ShutdownAbort abort) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    // Vert.x calls the end handler when the response is disposed, also when the connection closed
    // before the answer ended: then the status still reads 200, and the request is a 499.
    boolean[] done = new boolean[1];
    response.closeHandler(v -> {
      cancelled.tryComplete();
      if (!done[0] && !response.ended()) {
        done[0] = true;
        JsonBody.release(ctx);
        finished(abort);
        observer.completed(trace, RequestLog.CLIENT_CLOSED, HttpFacts.of(request, response));
      }
    });
    response.endHandler(v -> {
      if (!done[0]) {
        done[0] = true;
        JsonBody.release(ctx);
        finished(abort);
        observer.completed(trace, response.ended() ? response.getStatusCode() : RequestLog.CLIENT_CLOSED,
            HttpFacts.of(request, response));
      }
    });
  }

  private void finished(ShutdownAbort abort) {
    if (abort != null) {
      door.finished(abort);
    }
  }

  private static String shorten(String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
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
   * never wrote, which would then be re-encoded and sent upstream. Netty's validator (Unicode
   * table 3-7, the well-formed byte sequences) refuses all of them, reading the bytes in place:
   * nothing is decoded or copied.
   */
  private static boolean isUtf8(byte[] body) {
    return ByteBufUtil.isText(Unpooled.wrappedBuffer(body), StandardCharsets.UTF_8);
  }

  private static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.invalidRequest("The request body is empty; expected a JSON object.", null, "invalid_json").exception();
    }
    byte[] bytes = body.getBytes();
    if (!isUtf8(bytes)) {
      throw ApiError.invalidRequest("The request body is not valid UTF-8.", null, "invalid_json").exception();
    }
    Object parsed;
    try {
      parsed = StrictJson.decode(bytes);
    } catch (DecodeException e) {
      throw ApiError.invalidRequest("We could not parse the JSON body of your request (strict JSON: no comments, "
          + "no trailing content, no non-standard literals).", null, "invalid_json").exception();
    }
    if (!(parsed instanceof JsonObject json)) {
      throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json").exception();
    }
    return json;
  }
}
