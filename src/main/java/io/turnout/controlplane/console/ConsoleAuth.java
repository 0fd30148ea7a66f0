package io.turnout.controlplane.console;

import io.turnout.controlplane.admin.AdminAuth;
import io.turnout.controlplane.admin.AdminTokens;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin API's callers on the admin listener: a bearer token as before, or a console
 * session cookie. A session may read; a change (any method but GET and HEAD) also needs the
 * session's CSRF token in {@link #CSRF_HEADER}, which a page of another origin cannot know or
 * send, so a forged form post is refused before anything reaches the control plane.
 */
public final class ConsoleAuth implements AdminAuth {

  /** The session cookie: HttpOnly, SameSite=Strict, Path=/. */
  public static final String COOKIE = "turnout_session";
  /** The header a changing request carries the session's CSRF token in. */
  public static final String CSRF_HEADER = "X-Turnout-CSRF";

  private static final Decision EXPIRED = Decision.refused(401, "session_expired",
      "The console session has ended (logged out or expired): log in again.");
  private static final Decision NO_CSRF = Decision.refused(403, "csrf_failed",
      "A change made with a console session needs the session's token in the " + CSRF_HEADER + " header.");

  private final AdminAuth bearer;
  private final ConsoleSessions sessions;

  public ConsoleAuth(AdminTokens tokens, ConsoleSessions sessions) {
    this.bearer = AdminAuth.bearer(tokens);
    this.sessions = sessions;
  }

  @Override
  public Decision check(RoutingContext ctx) {
    if (ctx.request().getHeader("authorization") != null) {
      // A bearer token decides alone: a wrong one is not rescued by a cookie.
      return bearer.check(ctx);
    }
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null) {
      return NO_TOKEN;
    }
    ConsoleSessions.Session session = sessions.touch(cookie.getValue());
    if (session == null) {
      return EXPIRED;
    }
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD
        && !matches(session.csrf(), ctx.request().getHeader(CSRF_HEADER))) {
      return NO_CSRF;
    }
    return Decision.allowed(session.operator());
  }

  /** The live session of this request's cookie (its idle timer restarted), or null. */
  public ConsoleSessions.Session session(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie == null ? null : sessions.touch(cookie.getValue());
  }

  /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
  static boolean matches(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
