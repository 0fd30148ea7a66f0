package io.turnout.dataplane.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Collects a request body up to a limit, whatever its content type: a JSON API must not decode a
 * {@code curl -d} body as a form (vertx-web's BodyHandler would, and refuse a prompt holding a
 * {@code %}). Over the limit the route fails with 413 as soon as that is known: from
 * {@code Content-Length} before reading, else while reading. The next handler gets the bytes with
 * {@link #of(RoutingContext)}.
 */
public final class JsonBody implements Handler<RoutingContext> {

  private static final String KEY = "turnout.body";

  private final long limit;
  private final long timeoutMs;

  /** A body of at most {@code limit} bytes, with no time limit. */
  public JsonBody(long limit) {
    this(limit, 0);
  }

  /**
   * @param timeoutMs how long the whole body may take to arrive once the handler runs; past it the
   *     route fails with 408 (0: no limit)
   */
  public JsonBody(long limit, long timeoutMs) {
    this.limit = limit;
    this.timeoutMs = timeoutMs;
  }

  /** The collected body (empty when the request had none). */
  public static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("content-length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > limit) {
          ctx.fail(413);
          return;
        }
      } catch (NumberFormatException e) {
        ctx.fail(400);
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] over = new boolean[1];
    long timer = timeoutMs <= 0 ? -1 : ctx.vertx().setTimer(timeoutMs, id -> {
      if (!over[0]) {
        // A client that stalls mid-body holds a connection and a buffer: answer 408 and let it go.
        over[0] = true;
        ctx.fail(408);
      }
    });
    request.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        over[0] = true;
        ctx.vertx().cancelTimer(timer);
        ctx.fail(413);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      if (!over[0]) {
        over[0] = true;
        ctx.put(KEY, body);
        ctx.next();
      }
    });
    request.resume();
  }
}
