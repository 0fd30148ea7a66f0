package io.turnout.controlplane.console;

import io.turnout.controlplane.admin.AdminTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Map;

/**
 * The web console under {@code /console}: login and logout, the page shells, their script and
 * style, and the live event stream. The pages hold no data: their script reads and changes
 * everything through the admin API with the session cookie (and the CSRF header on changes),
 * exactly as a bearer caller would, so the console can do nothing the API would not.
 */
public final class ConsoleRoutes {

  private static final int MAX_FORM_BYTES = 8 * 1024;
  /** Page name -> path below /console. */
  private static final Map<String, String> PAGES = Map.of("overview", "", "routes", "/routes", "gates", "/gates",
      "drills", "/drills", "probes", "/probes", "audit", "/audit");

  private final AdminTokens tokens;
  private final io.turnout.controlplane.admin.LoginThrottle throttle;
  private final ConsoleSessions sessions;
  private final ConsoleAuth auth;
  private final ConsoleEvents events;

  /** @param throttle shared with the admin API: refused tokens count the same on either */
  public ConsoleRoutes(AdminTokens tokens, ConsoleSessions sessions, ConsoleAuth auth,
      io.turnout.controlplane.admin.LoginThrottle throttle) {
    this.throttle = throttle;
    this.tokens = tokens;
    this.sessions = sessions;
    this.auth = auth;
    this.events = new ConsoleEvents(auth, sessions);
  }

  /**
   * Mounts the console on {@code router} and subscribes its event stream to {@code addresses}
   * (event name -> bus address); completes once the subscriptions are in place.
   */
  public Future<Void> mount(Vertx vertx, Router router, Map<String, String> addresses) {
    router.route("/console/assets/*").handler(StaticHandler.create("console").setCachingEnabled(false)
        .setDirectoryListing(false));
    router.get("/console/login").handler(ctx -> {
      if (auth.session(ctx) != null) {
        redirect(ctx, "/console");
      } else {
        html(ctx, 200, ConsolePages.login(null));
      }
    });
    router.post("/console/login").handler(BodyHandler.create().setBodyLimit(MAX_FORM_BYTES)).handler(this::login);
    router.post("/console/logout").handler(BodyHandler.create().setBodyLimit(MAX_FORM_BYTES)).handler(this::logout);
    router.get("/console/events").handler(events::open);
    PAGES.forEach((page, path) -> router.get("/console" + path).handler(ctx -> page(ctx, page, null)));
    router.get("/console/drills/:id").handler(ctx -> page(ctx, "drill", ctx.pathParam("id")));
    return events.start(vertx, addresses);
  }

  private void login(RoutingContext ctx) {
    if (!sameOrigin(ctx)) {
      // A page of another site posting a token would log this browser in as someone else.
      html(ctx, 403, ConsolePages.login("Log in from the console's own login page."));
      return;
    }
    String address = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    long wait = throttle.blockedForSeconds(address);
    if (wait > 0) {
      ctx.response().putHeader("retry-after", String.valueOf(wait));
      html(ctx, 429, ConsolePages.login("Too many refused tokens from this address: try again in " + wait + " s."));
      return;
    }
    String operator = tokens.operatorOfToken(ctx.request().getFormAttribute("token"));
    if (operator == null) {
      throttle.failed(address);
      html(ctx, 401, ConsolePages.login("That is not an admin token of this node."));
      return;
    }
    ConsoleSessions.Session session = sessions.open(operator);
    ctx.response().addCookie(Cookie.cookie(ConsoleAuth.COOKIE, session.id()).setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT));
    redirect(ctx, "/console");
  }

  private void logout(RoutingContext ctx) {
    ConsoleSessions.Session session = auth.session(ctx);
    String csrf = ctx.request().getFormAttribute("csrf");
    if (session != null && !ConsoleAuth.matches(session.csrf(), csrf != null ? csrf
        : ctx.request().getHeader(ConsoleAuth.CSRF_HEADER))) {
      apiError(ctx, 403, "csrf_failed", "Logging out needs the session's token.");
      return;
    }
    if (session != null) {
      sessions.close(session.id());
    }
    ctx.response().addCookie(Cookie.cookie(ConsoleAuth.COOKIE, "").setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    redirect(ctx, "/console/login");
  }

  private void page(RoutingContext ctx, String page, String id) {
    ConsoleSessions.Session session = auth.session(ctx);
    if (session == null) {
      redirect(ctx, "/console/login");
      return;
    }
    html(ctx, 200, ConsolePages.shell(page, id, session));
  }

  /** No Origin (not a browser's cross-site post), or this listener's own. */
  private static boolean sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("origin");
    String host = ctx.request().getHeader("host");
    return origin == null || (host != null && (origin.equals("http://" + host) || origin.equals("https://" + host)));
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("location", location).putHeader("cache-control", "no-store").end();
  }

  private static void html(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status)
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-store")
        // Only this origin's own script and style; no framing (clickjacking the confirm buttons).
        .putHeader("content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        .putHeader("x-content-type-options", "nosniff")
        // same-origin, not no-referrer: with no-referrer the browser sends "Origin: null" on the login post.
        .putHeader("referrer-policy", "same-origin")
        .end(body);
  }

  /** An error in the admin API's (OpenAI's) shape. */
  static void apiError(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message).put("type", "invalid_request_error")
            .putNull("param").put("code", code)).toBuffer());
  }
}
