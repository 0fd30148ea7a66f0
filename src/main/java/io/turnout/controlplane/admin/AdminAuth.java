package io.turnout.controlplane.admin;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling the admin API: an operator's name, or a refusal that says why. The admin API
 * only ever runs a call whose caller is named, and that name goes on every change it sends.
 */
@FunctionalInterface
public interface AdminAuth {

  /** Decides one request; never null. */
  Decision check(RoutingContext ctx);

  /**
   * An operator, or the refusal to answer with (operator null).
   *
   * @param status 401 (nobody known) or 403 (known, but this request is not allowed)
   * @param code the error code in OpenAI's error shape
   */
  record Decision(String operator, int status, String code, String message) {

    public static Decision allowed(String operator) {
      return new Decision(operator, 200, null, null);
    }

    public static Decision refused(int status, String code, String message) {
      return new Decision(null, status, code, message);
    }

    public boolean isAllowed() {
      return operator != null;
    }
  }

  /** The refusal for a request without any credential the API knows. */
  Decision NO_TOKEN = Decision.refused(401, "invalid_admin_token",
      "Missing or unknown admin token. Send 'Authorization: Bearer <token>'.");

  /** Bearer tokens only: {@code Authorization: Bearer <token>}. */
  static AdminAuth bearer(AdminTokens tokens) {
    return ctx -> {
      String operator = tokens.operator(ctx.request().getHeader("authorization"));
      return operator == null ? NO_TOKEN : Decision.allowed(operator);
    };
  }
}
