package io.turnout.dataplane.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Collects a request body up to a limit, whatever its content type: a JSON API must not decode a
 * {@code curl -d} body as a form (vertx-web's BodyHandler would, and refuse a prompt holding a
 * {@code %}). Over the limit the route fails with 413 as soon as that is known: from
 * {@code Content-Length} before reading, else while reading. With a {@link BodyBudget}, the body's
 * bytes are reserved node-wide (the declared length up front, else chunk by chunk) until the request
 * ends; when they do not fit, the route fails with 503 instead. The next handler gets the bytes with
 * {@link #of(RoutingContext)}.
 */
public final class JsonBody implements Handler<RoutingContext> {

  private static final String KEY = "turnout.body";
  private static final String RELEASE = "turnout.body.release";

  private final long limit;
  private final long timeoutMs;
  private final BodyBudget budget;

  /** A body of at most {@code limit} bytes, with no time limit. */
  public JsonBody(long limit) {
    this(limit, 0);
  }

  /**
   * @param timeoutMs how long the whole body may take to arrive once the handler runs; past it the
   *     route fails with 408 (0: no limit)
   */
  public JsonBody(long limit, long timeoutMs) {
    this(limit, timeoutMs, null);
  }

  /** @param budget the node-wide body bytes this body must fit in, or null for none */
  JsonBody(long limit, long timeoutMs, BodyBudget budget) {
    this.limit = limit;
    this.timeoutMs = timeoutMs;
    this.budget = budget;
  }

  /** The collected body (empty when the request had none). */
  public static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? Buffer.buffer() : body;
  }

  /**
   * Returns the request's body bytes to the budget (once; later calls do nothing). Called when
   * the request ends, by whoever installed the response's end handler last: vertx-web's own end
   * handlers are replaced by the chat handler's and the router's error answers.
   */
  static void release(RoutingContext ctx) {
    Runnable release = ctx.get(RELEASE);
    if (release != null) {
      release.run();
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("content-length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
        if (declared > limit) {
          ctx.fail(413);
          return;
        }
      } catch (NumberFormatException e) {
        ctx.fail(400);
        return;
      }
    }
    long[] reserved = {0};
    boolean[] over = new boolean[1];
    if (budget != null) {
      Runnable release = () -> {
        over[0] = true;
        budget.release(reserved[0]);
        reserved[0] = 0;
      };
      ctx.put(RELEASE, release);
      // Also when the client leaves before the body arrived: no handler of ours has run then.
      ctx.addEndHandler(v -> release.run());
      if (declared > 0) {
        if (!budget.tryReserve(declared)) {
          ctx.fail(503);
          return;
        }
        reserved[0] = declared;
      }
    }
    Buffer body = Buffer.buffer();
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
      long more = body.length() + chunk.length() - reserved[0];
      if (budget != null && more > 0) {
        // No declared length, or more bytes than declared (the codec refuses that; defensively).
        if (!budget.tryReserve(more)) {
          over[0] = true;
          ctx.vertx().cancelTimer(timer);
          ctx.fail(503);
          return;
        }
        reserved[0] += more;
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
