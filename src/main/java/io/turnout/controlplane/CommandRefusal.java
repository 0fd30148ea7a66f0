package io.turnout.controlplane;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A control-plane command refused: the one refusal type of every command handler (routes, gates,
 * probes, drills). It carries the HTTP status the admin API answers, a stable machine-readable
 * {@code code}, a message for the operator and, where one field of the command is at fault, its
 * path. A refusal leaves no state behind: handlers throw or fail with it before they change
 * anything.
 *
 * <p>On the event bus a refusal travels as a failed reply whose failure code is the status and
 * whose message is {@link #toJson()} encoded; {@link #fromReply(Throwable)} reads it back (and
 * reads a plain-text failure of an older member as a refusal with code {@code admin_error}).
 */
public final class CommandRefusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  /**
   * @param status the HTTP status the admin API answers (400, 403, 404, 409, 503, ...)
   * @param code a stable snake_case code, e.g. {@code stale_revision}, {@code step_mismatch}
   * @param message what was refused and why, for the operator
   * @param field the path of the field at fault ({@code expected_step}, {@code routes[0].timeout_ms}), or null
   */
  public CommandRefusal(int status, String code, String message, String field) {
    super(message, null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a refusal's status is 4xx or 5xx, not " + status);
    }
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** A 400 {@code invalid_request} naming the field at fault. */
  public static CommandRefusal invalid(String field, String message) {
    return new CommandRefusal(400, "invalid_request", message, field);
  }

  /** A 404 {@code not_found}. */
  public static CommandRefusal notFound(String message) {
    return new CommandRefusal(404, "not_found", message, null);
  }

  /** A 409 with the given code (a lost compare-and-set, a step already passed, a held claim). */
  public static CommandRefusal conflict(String code, String message) {
    return new CommandRefusal(409, code, message, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The path of the field at fault, or null. */
  public String field() {
    return field;
  }

  /** {@code {status, code, message, field}}: the refusal on the wire. */
  public JsonObject toJson() {
    return new JsonObject().put("status", status).put("code", code).put("message", getMessage()).put("field", field);
  }

  /** Fails {@code message} with this refusal. */
  public void failReply(Message<?> message) {
    message.fail(status, toJson().encode());
  }

  /**
   * Fails {@code message} with {@code cause}: a refusal as itself; any other exception as a 500
   * {@code internal_error} (its message only, never a stack trace).
   */
  public static void fail(Message<?> message, Throwable cause) {
    of(cause).failReply(message);
  }

  /** {@code cause} as a refusal: a refusal as itself, anything else as a 500 {@code internal_error}. */
  public static CommandRefusal of(Throwable cause) {
    if (cause instanceof CommandRefusal refusal) {
      return refusal;
    }
    return new CommandRefusal(500, "internal_error", String.valueOf(cause.getMessage()), null);
  }

  /**
   * Reads a refusal back from a failed event-bus request: a {@link ReplyException} with a
   * status-like failure code carries one; a timeout or a missing handler is a 503
   * {@code control_plane_unavailable}.
   */
  public static CommandRefusal fromReply(Throwable cause) {
    if (cause instanceof CommandRefusal refusal) {
      return refusal;
    }
    if (cause instanceof ReplyException reply && reply.failureCode() >= 400 && reply.failureCode() <= 599) {
      String text = reply.getMessage();
      if (text != null && text.startsWith("{")) {
        try {
          JsonObject json = new JsonObject(text);
          return new CommandRefusal(reply.failureCode(), json.getString("code", "admin_error"),
              json.getString("message", ""), json.getString("field"));
        } catch (DecodeException | ClassCastException e) {
          // not ours: fall through to the plain-text reading
        }
      }
      return new CommandRefusal(reply.failureCode(), legacyCode(reply.failureCode()), String.valueOf(text), null);
    }
    return new CommandRefusal(503, "control_plane_unavailable",
        "The control plane did not answer: " + cause.getMessage(), null);
  }

  private static String legacyCode(int status) {
    return switch (status) {
      case 409 -> "stale_revision";
      case 400 -> "invalid_request";
      case 404 -> "not_found";
      default -> "admin_error";
    };
  }
}
