package io.turnout.dataplane.routing;

import io.vertx.core.json.JsonObject;

/**
 * Why a request has no attempt to run; the HTTP layer turns it into an OpenAI-shaped error.
 *
 * @param kind the reason
 * @param status the HTTP status to answer with
 * @param message safe to show the client: names the scope, version or feature, never a credential
 * @param param the request parameter at fault, or null
 */
public record RouteRejection(Kind kind, int status, String message, String param) {

  /** The reasons, each with its HTTP status and machine-readable code. */
  public enum Kind {
    /** The {@code model} names no alias: the same answer OpenAI gives for an unknown model. */
    UNKNOWN_ALIAS(404, "model_not_found"),
    /** No active pointer serves the scope, or its version and every rollback have expired. */
    NO_ROUTE(503, "no_route"),
    /** The active version is in mode {@code disabled}. */
    DISABLED(503, "route_disabled"),
    /** The request relies on a feature no provider of the active version has enabled. */
    FEATURE_NOT_ENABLED(400, "feature_not_enabled"),
    /** The data policy allows no provider of the route for the caller's cohort. */
    DATA_POLICY_REFUSED(403, "data_policy_refused");

    private final int status;
    private final String code;

    Kind(int status, String code) {
      this.status = status;
      this.code = code;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }

    /** The error {@code code} for the OpenAI error body. */
    public String code() {
      return code;
    }
  }

  /** A rejection with the kind's status. */
  public static RouteRejection of(Kind kind, String message, String param) {
    return new RouteRejection(kind, kind.status(), message, param);
  }

  /** For logs and the admin API. */
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name()).put("status", status).put("code", kind.code())
        .put("message", message).put("param", param);
  }
}
