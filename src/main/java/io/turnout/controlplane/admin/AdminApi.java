package io.turnout.controlplane.admin;

import io.turnout.controlplane.drills.DrillCommands;
import io.turnout.controlplane.gates.GateCommands;
import io.turnout.controlplane.probes.ProbeCommands;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.turnout.dataplane.http.JsonBody;
import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.routes.RouteCommand;
import io.turnout.controlplane.routes.RouteCommands;

/**
 * The operators' HTTP API under {@code /admin} (on the admin listener), authenticated with bearer
 * tokens mapped to operator names, or as the {@link AdminAuth} it is mounted with decides (the web
 * console's session cookie with its CSRF header). It only translates HTTP to typed
 * {@link RouteCommand}s on the event bus ({@link RouteCommands#ADDRESS}), where the route control
 * plane decides, audits and applies; a missing or unknown token gets 401 and a body that is not a
 * valid command 400 naming the field ({@code param}), and nothing is sent.
 *
 * <ul>
 *   <li>{@code GET /admin/routes}: revision, pointers in force, the route map, last refused edit
 *   <li>{@code GET /admin/audit?limit=N[&cluster=true]}: the newest audit entries, this member's or
 *       every member's merged into one history
 *   <li>{@code POST /admin/scopes/activate}: {@code {tenant_or_cohort, model_alias, route_version,
 *       reason, environment?, expected_revision?}}
 *   <li>{@code POST /admin/scopes/rollback}: {@code {tenant_or_cohort, model_alias, reason,
 *       environment?, expected_revision?}}: to the active version's rollback_route_version, or
 *       to the alias's rollback_target when the scope has no pointer
 *   <li>{@code POST /admin/scopes/resume}: {@code {tenant_or_cohort, model_alias, reason,
 *       canary_share?, environment?, expected_revision?}}: lifts a gate's freeze or pause
 *   <li>{@code POST /admin/scopes/auto-fallback}: {@code {tenant_or_cohort, model_alias, reason,
 *       enabled, environment?, expected_revision?}}: lets the scope fail over without a drill on record
 *   <li>{@code GET /admin/gates}: the gate rules, the latest verdicts with their numbers and the
 *       changes gates made
 *   <li>{@code POST /admin/probes/run}: {@code {route_version}}: runs the version's preflight
 *       probes from this node and answers with the evidence (200 also when a probe failed)
 *   <li>{@code GET /admin/probes/<route_version>}: the version's latest probe evidence, or 404
 * </ul>
 *
 * <p>{@code activate} takes {@code force: true} to move a frozen or paused scope forward anyway;
 * the audit entry says it was forced.
 */
public final class AdminApi {

  /** Where {@code POST /admin/secrets/reload} asks the node to read its secret files again now. */
  public static final String SECRETS_ADDRESS = "turnout.control.secrets";

  private static final int MAX_BODY = 64 * 1024;

  private AdminApi() {}

  /** Mounts the admin routes on {@code router}, for bearer tokens only. */
  public static void mount(Vertx vertx, Router router, AdminTokens tokens) {
    mount(vertx, router, AdminAuth.bearer(tokens), new LoginThrottle(java.time.Clock.systemUTC()));
  }

  /**
   * Mounts the admin routes on {@code router}; {@code auth} names the operator of every call (a
   * bearer token, or a console session with its CSRF header) or refuses it before anything is sent.
   * An address with too many refused credentials lately is answered 429 {@code too_many_failed_logins}
   * ({@link LoginThrottle}) before its credential is even looked at.
   */
  public static void mount(Vertx vertx, Router router, AdminAuth auth, LoginThrottle throttle) {
    router.route("/admin/*").handler(ctx -> {
      String address = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
      if (throttled(ctx, throttle, address)) {
        return;
      }
      AdminAuth.Decision decision = auth.check(ctx);
      if (!decision.isAllowed()) {
        if (decision.status() == 401) {
          throttle.failed(address);
        }
        error(ctx, decision.status(), decision.code(), decision.message(), null);
        return;
      }
      ctx.put("operator", decision.operator());
      ctx.next();
    });
    router.get("/admin/routes").handler(ctx -> send(vertx, ctx, new RouteCommand.Status()));
    router.get("/admin/gates").handler(ctx -> send(vertx, ctx, GateCommands.ADDRESS,
        new JsonObject().put("action", "status")));
    router.post("/admin/secrets/reload").handler(ctx -> send(vertx, ctx, SECRETS_ADDRESS,
        new JsonObject().put("operator", ctx.<String>get("operator"))));
    router.post("/admin/probes/run").handler(new JsonBody(MAX_BODY)).handler(ctx -> {
      JsonObject body = body(ctx);
      if (body == null) {
        return;
      }
      JsonObject command = new JsonObject().put("action", "run").put("route_version", body.getValue("route_version"))
          .put("operator", ctx.<String>get("operator"));
      send(vertx, ctx, ProbeCommands.ADDRESS, command,
          new DeliveryOptions().setSendTimeout(ProbeCommands.RUN_SEND_TIMEOUT_MS));
    });
    router.get("/admin/probes/:route_version").handler(ctx -> send(vertx, ctx, ProbeCommands.ADDRESS,
        new JsonObject().put("action", "latest").put("route_version", ctx.pathParam("route_version"))));
    router.get("/admin/audit").handler(ctx -> {
      int limit;
      try {
        limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
      } catch (NumberFormatException e) {
        error(ctx, 400, "invalid_request", "'limit' must be a number", "limit");
        return;
      }
      String cluster = ctx.request().getParam("cluster", "false");
      if (!cluster.equals("true") && !cluster.equals("false")) {
        error(ctx, 400, "invalid_request", "'cluster' must be true or false", "cluster");
        return;
      }
      send(vertx, ctx, new RouteCommand.Audit(limit, Boolean.parseBoolean(cluster)));
    });
    router.get("/admin/auto-fallback").handler(ctx -> send(vertx, ctx, DrillCommands.ADDRESS,
        new JsonObject().put("action", "auto_fallback")));
    router.get("/admin/drills").handler(ctx -> send(vertx, ctx, DrillCommands.ADDRESS,
        new JsonObject().put("action", "list")));
    router.post("/admin/drills").handler(new JsonBody(MAX_BODY)).handler(ctx -> {
      JsonObject body = body(ctx);
      if (body != null) {
        send(vertx, ctx, DrillCommands.ADDRESS, body.put("action", "start").put("operator", ctx.<String>get("operator")));
      }
    });
    router.get("/admin/drills/:id").handler(ctx -> send(vertx, ctx, DrillCommands.ADDRESS,
        new JsonObject().put("action", "get").put("id", ctx.pathParam("id"))));
    router.get("/admin/drills/:id/report").handler(ctx -> vertx.eventBus().<JsonObject>request(DrillCommands.ADDRESS,
        new JsonObject().put("action", "report").put("id", ctx.pathParam("id"))).onComplete(ar -> {
          if (ar.succeeded()) {
            ctx.response().putHeader("content-type", "text/html; charset=utf-8")
                .end(ar.result().body().getString("html"));
          } else {
            failed(ctx, ar.cause());
          }
        }));
    router.post("/admin/drills/:id/:action").handler(new JsonBody(MAX_BODY)).handler(ctx -> {
      String action = ctx.pathParam("action");
      if (!"advance".equals(action) && !"abort".equals(action)) {
        error(ctx, 404, "Unknown drill action: " + action);
        return;
      }
      JsonObject body = body(ctx);
      if (body != null) {
        // An approval may run probes: as long as a probe run may take.
        send(vertx, ctx, DrillCommands.ADDRESS, body.put("action", action).put("id", ctx.pathParam("id"))
            .put("operator", ctx.<String>get("operator")),
            new DeliveryOptions().setSendTimeout(ProbeCommands.RUN_SEND_TIMEOUT_MS));
      }
    });
    router.post("/admin/scopes/:action").handler(new JsonBody(MAX_BODY)).handler(ctx -> {
      String action = ctx.pathParam("action");
      if ("auto-fallback".equals(action)) {
        action = "auto_fallback";
      } else if (!"activate".equals(action) && !"rollback".equals(action) && !"resume".equals(action)) {
        error(ctx, 404, "Unknown admin action: " + action);
        return;
      }
      JsonObject body = body(ctx);
      if (body == null) {
        return;
      }
      RouteCommand command;
      try {
        command = RouteCommand.fromJson(body.put("action", action).put("operator", ctx.<String>get("operator")));
      } catch (CommandRefusal refused) {
        failed(ctx, refused);
        return;
      }
      send(vertx, ctx, command);
    });
  }

  private static void send(Vertx vertx, RoutingContext ctx, RouteCommand command) {
    send(vertx, ctx, RouteCommands.ADDRESS, command.toJson());
  }

  private static void send(Vertx vertx, RoutingContext ctx, String address, JsonObject command) {
    send(vertx, ctx, address, command, new DeliveryOptions());
  }

  private static void send(Vertx vertx, RoutingContext ctx, String address, JsonObject command,
      DeliveryOptions delivery) {
    vertx.eventBus().<JsonObject>request(address, command, delivery).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("content-type", "application/json").end(ar.result().body().toBuffer());
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  private static void failed(RoutingContext ctx, Throwable cause) {
    CommandRefusal refusal = CommandRefusal.fromReply(cause);
    error(ctx, refusal.status(), refusal.code(), refusal.getMessage(), refusal.field());
  }

  /** The request's JSON object body, or null after answering 400. */
  private static JsonObject body(RoutingContext ctx) {
    JsonObject body;
    try {
      body = JsonBody.of(ctx).toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      error(ctx, 400, "The body must be a JSON object.");
    }
    return body;
  }

  /** Answers 429 with {@code Retry-After} when {@code address} is throttled; whether it did. */
  public static boolean throttled(RoutingContext ctx, LoginThrottle throttle, String address) {
    long wait = throttle.blockedForSeconds(address);
    if (wait == 0) {
      return false;
    }
    ctx.response().putHeader("retry-after", String.valueOf(wait));
    error(ctx, 429, "too_many_failed_logins", "Too many refused admin tokens from this address in the last "
        + LoginThrottle.WINDOW.toSeconds() + " s: try again in " + wait + " s.", null);
    return true;
  }

  private static void error(RoutingContext ctx, int status, String message) {
    String code = switch (status) {
      case 401 -> "invalid_admin_token";
      case 409 -> "stale_revision";
      case 400 -> "invalid_request";
      case 404 -> "not_found";
      default -> "admin_error";
    };
    error(ctx, status, code, message, null);
  }

  /** OpenAI's error shape; {@code param} is the path of the field at fault, when one is. */
  private static void error(RoutingContext ctx, int status, String code, String message, String field) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message)
            .put("type", status >= 500 ? "api_error" : "invalid_request_error").put("param", field).put("code", code))
            .toBuffer());
  }
}
