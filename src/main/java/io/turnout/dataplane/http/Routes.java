package io.turnout.dataplane.http;

import io.turnout.dataplane.chat.ApiError;
import io.turnout.dataplane.chat.ChatService;
import io.turnout.dataplane.chat.RequestIds;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.tenancy.Caller;
import io.turnout.dataplane.tenancy.ClientRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.dataplane.observability.RequestObserver;

/** The node's HTTP surface: the OpenAI-compatible API, with every error in OpenAI's shape. */
public final class Routes {

  private static final String CHAT_PATH = "/v1/chat/completions";
  private static final String CALLER = "turnout.caller";

  private Routes() {}

  /**
   * A router serving {@code POST /v1/chat/completions}, {@code GET /v1/models}, {@code GET /metrics}
   * (Prometheus) and {@code GET /health/live}, {@code GET /health/ready}. {@code /admin} is not
   * here: it is on the admin listener ({@code admin.host}:{@code admin.port}), and answers 404 on this one.
   */
  public static Router create(Vertx vertx, ChatService service, ClientRegistry clients, int maxBodyBytes,
      RequestObserver observer, PrometheusMeterRegistry registry, HealthChecks readiness) {
    return create(vertx, service, clients, maxBodyBytes, observer, registry, readiness, null);
  }

  /**
   * The same router, with the front door's client limits (the body timeout) and its register of
   * requests in flight for a graceful shutdown; {@code door} null: no body timeout, nothing registered.
   */
  public static Router create(Vertx vertx, ChatService service, ClientRegistry clients, int maxBodyBytes,
      RequestObserver observer, PrometheusMeterRegistry registry, HealthChecks readiness, FrontDoor door) {
    Router router = Router.router(vertx);
    mountOperations(vertx, router, registry, readiness);
    router.post(CHAT_PATH)
        .handler(new JsonBody(maxBodyBytes, door == null ? 0 : door.limits().bodyTimeoutMs(),
            door == null ? null : door.bodies()))
        .handler(new ChatHttpHandler(service, clients, observer, door));
    router.get("/v1/models*").handler(ctx -> {
      Caller caller = clients.authenticate(ctx.request().getHeader("authorization"));
      if (caller == null) {
        error(ctx, ApiError.client(401, "invalid_request_error", "Missing or unknown API key.", "invalid_api_key"));
      } else {
        ctx.put(CALLER, caller);
        ctx.next();
      }
    });
    router.get("/v1/models").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .end(modelList(service.servedAliases(ctx.get(CALLER))).toBuffer()));
    router.get("/v1/models/:model").handler(ctx -> {
      String id = ctx.pathParam("model");
      if (service.servedAliases(ctx.get(CALLER)).contains(id)) {
        ctx.response().putHeader("content-type", "application/json").end(model(id).toBuffer());
      } else {
        error(ctx, ApiError.modelNotFound(id));
      }
    });
    router.errorHandler(404, ctx -> error(ctx, ApiError.client(404, "invalid_request_error",
        "Unknown request URL: " + ctx.request().method() + " " + truncate(ctx.request().path()) + "."
            + (isAdminPath(ctx.request().path()) ? " The admin API and the console are on the admin listener "
                + "(admin.host:admin.port, 127.0.0.1:8081 by default)." : ""),
        "unknown_url"), observer));
    router.errorHandler(405, ctx -> error(ctx, ApiError.client(405, "invalid_request_error",
        "Method " + ctx.request().method() + " is not allowed on " + truncate(ctx.request().path()) + ".",
        "method_not_allowed"), observer));
    router.errorHandler(413, ctx -> error(ctx, ApiError.client(413, "invalid_request_error",
        "The request body exceeds the limit of " + maxBodyBytes + " bytes.", "request_too_large"), observer));
    router.errorHandler(503, ctx -> {
      // The node holds as many body bytes as it may: refuse this one unread, and drop its connection,
      // since the rest of the body may still be coming. A client retries elsewhere or a moment later.
      ctx.response().putHeader("connection", "close").putHeader("retry-after", "1");
      error(ctx, ApiError.client(503, "server_error", "The node is holding as many request bodies as it may"
          + " (http.max_body_bytes_in_flight" + (door == null ? "" : ": " + door.limits().maxBodyBytesInFlight()
          + " bytes") + "); retry shortly.", "body_bytes_exhausted"), observer);
      ctx.request().connection().close();
    });
    router.errorHandler(408, ctx -> {
      // The body stalled: answer, then close, since the rest of the body may still be coming.
      ctx.response().putHeader("connection", "close");
      error(ctx, ApiError.client(408, "invalid_request_error", "The request body did not arrive within "
          + (door == null ? 0 : door.limits().bodyTimeoutMs()) + " ms.", "request_timeout"), observer);
      ctx.request().connection().close();
    });
    router.errorHandler(400, ctx -> error(ctx, ApiError.client(400, "invalid_request_error",
        "The request could not be read.", "invalid_request"), observer));
    router.errorHandler(500, ctx -> error(ctx, ApiError.client(500, "api_error", "internal error", "internal_error"),
        observer));
    return router;
  }

  /**
   * {@code GET /metrics} (Prometheus) and {@code GET /health/live}, {@code GET /health/ready}: on
   * the client listener for load balancers and scrapers, and on the admin listener too.
   */
  public static void mountOperations(Vertx vertx, Router router, PrometheusMeterRegistry registry,
      HealthChecks readiness) {
    // Live while this event loop answers; ready only once the node has started (see Node).
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(HealthChecks.create(vertx)
        .register("event-loop", promise -> promise.complete(io.vertx.ext.healthchecks.Status.OK()))));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    // Formatting a scrape is CPU work proportional to the meter count: kept off the event loop.
    router.get("/metrics").handler(ctx -> vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        ctx.fail(500);
      }
    }));
  }

  private static void error(RoutingContext ctx, ApiError error) {
    error(ctx, error, null);
  }

  /**
   * Answers an error the router itself produced. On the chat path (a body over the limit, a wrong
   * method, a failure) the chat handler did not answer, so the request is observed here: every
   * chat request gets its log line and its count, refused ones included. This end handler replaces
   * the chat handler's if that one did run, so nothing is counted twice.
   */
  private static void error(RoutingContext ctx, ApiError error, RequestObserver observer) {
    RequestTrace trace = new RequestTrace(RequestIds.fromClient(ctx.request().getHeader(Headers.REQUEST_ID)));
    if (observer != null && CHAT_PATH.equals(ctx.request().path())) {
      // Also called when the connection closed before the answer ended: then the client left (499).
      ctx.response().endHandler(v -> {
        JsonBody.release(ctx);
        observer.completed(trace, ctx.response().ended()
            ? ctx.response().getStatusCode() : io.turnout.dataplane.observability.RequestLog.CLIENT_CLOSED);
      });
    }
    ErrorResponses.send(ctx.response(), error, trace);
  }

  private static JsonObject modelList(java.util.Set<String> aliases) {
    JsonArray data = new JsonArray();
    aliases.stream().sorted().forEach(alias -> data.add(model(alias)));
    return new JsonObject().put("object", "list").put("data", data);
  }

  private static JsonObject model(String alias) {
    return new JsonObject().put("id", alias).put("object", "model").put("created", 0).put("owned_by", "turnout");
  }

  private static boolean isAdminPath(String path) {
    return path != null && (path.startsWith("/admin") || path.startsWith("/console"));
  }

  private static String truncate(String path) {
    return path.length() <= 200 ? path : path.substring(0, 200) + "...";
  }
}
