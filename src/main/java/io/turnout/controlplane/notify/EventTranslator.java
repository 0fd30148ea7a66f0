package io.turnout.controlplane.notify;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns the node's own bus events into notifications: route events ({@code gate_action},
 * {@code rejected}), drill events ({@code type: drill}, by status) and probe runs. Events that
 * call for no notification give null. Only named control-plane fields are copied: no prompt,
 * completion or secret can pass through.
 */
public final class EventTranslator {

  private EventTranslator() {}

  /** A route event of {@link io.turnout.routes.RouteEvents#ADDRESS}. */
  public static Notification route(JsonObject e) {
    return switch (e.getString("type", "")) {
      case "gate_action" -> gateAction(e);
      case "rejected" -> refusedEdit(e);
      default -> null;
    };
  }

  static Notification gateAction(JsonObject e) {
    JsonObject verdict = e.getJsonObject("verdict", new JsonObject());
    String operator = e.getString("operator", "");
    String gate = verdict.getString("gate", operator.startsWith("gate:") ? operator.substring(5) : operator);
    String scope = scope(e.getJsonObject("scope"));
    String decision = e.getString("decision", "");
    String from = e.getString("from");
    String to = e.getString("to");
    String what = switch (decision) {
      case "rollback" -> "rolled back " + scope + " from " + from + " to " + to;
      case "stop_expansion" -> "froze the expansion of " + scope + " on " + to;
      case "test_share" -> "cut " + scope + " to its test share on " + to;
      case "reduce" -> "reduced the canary share of " + scope + " on " + to;
      case "stop" -> "stopped the canary of " + scope + " on " + to;
      case "pause" -> "paused changes on " + scope + " (" + to + ")";
      default -> "acted (" + decision + ") on " + scope + " (" + to + ")";
    };
    String numbers = verdict.isEmpty() ? "" : " (" + verdict.getString("signal", "value") + " "
        + number(verdict.getValue("value")) + " > " + number(verdict.getValue("threshold")) + " over "
        + verdict.getValue("samples") + " samples)";
    JsonObject details = new JsonObject().put("gate", gate).put("decision", decision).put("from", from).put("to", to)
        .put("revision", e.getValue("revision")).put("reason", e.getString("reason"))
        .put("control", e.getJsonObject("control")).put("verdict", verdict.isEmpty() ? null : verdict.copy());
    return of(NotifyEvent.GATE_ACTION, e, scope, "gate " + gate + " " + what + numbers, details);
  }

  static Notification refusedEdit(JsonObject e) {
    String path = e.getString("path", "");
    String summary = "route file edit refused, the running map is unchanged: " + e.getString("file")
        + (path.isEmpty() ? "" : " at " + path) + ": " + e.getString("reason");
    JsonObject details = new JsonObject().put("file", e.getString("file")).put("path", path)
        .put("reason", e.getString("reason"));
    return of(NotifyEvent.ROUTE_EDIT_REFUSED, e, null, summary, details);
  }

  /** A drill event of {@link io.turnout.controlplane.drills.DrillCommands#EVENTS}, by its status. */
  public static Notification drill(JsonObject e) {
    if (!"drill".equals(e.getString("type"))) {
      return null;
    }
    String id = e.getString("id");
    String step = e.getString("step");
    String detail = e.getValue("detail") instanceof String s ? s : null;
    NotifyEvent event;
    String what;
    switch (e.getString("status", "")) {
      case "awaiting_approval" -> {
        event = NotifyEvent.DRILL_WAITING;
        what = "step " + step + " done, waits for an operator's approval";
      }
      case "blocked" -> {
        event = NotifyEvent.DRILL_BLOCKED;
        what = "blocked at step " + step + (detail == null ? "" : ": " + detail);
      }
      case "aborted" -> {
        event = NotifyEvent.DRILL_ABORTED;
        what = "aborted" + (detail == null ? "" : ": " + detail);
      }
      case "complete" -> {
        event = NotifyEvent.DRILL_COMPLETE;
        what = "complete: rollback proven and the canary re-enabled";
      }
      default -> {
        return null;
      }
    }
    String scope = e.getValue("scope") instanceof JsonObject s ? scope(s)
        : e.getValue("scope") instanceof String s ? s : null;
    JsonObject details = new JsonObject().put("drill", id).put("step", step).put("status", e.getString("status"))
        .put("detail", detail);
    return of(event, e, scope, "drill " + id + (scope == null ? "" : " on " + scope) + " " + what, details);
  }

  /** A probe run event ({@link io.turnout.controlplane.probes.ProbeCommands#EVENTS}): only a failed run notifies. */
  public static Notification probeRun(JsonObject e) {
    if (!"probe_run".equals(e.getString("type")) || e.getBoolean("passed", true)) {
      return null;
    }
    JsonArray failed = e.getJsonArray("failed", new JsonArray());
    String summary = "probe run " + e.getString("run_id") + " of route version " + e.getString("route_version")
        + " FAILED: " + failed.size() + " of " + e.getValue("probes") + " probes failed"
        + (failed.isEmpty() ? "" : " (" + String.join(", ", failed.stream().map(String::valueOf).toList()) + ")");
    JsonObject details = new JsonObject().put("run_id", e.getString("run_id"))
        .put("route_version", e.getString("route_version")).put("operator", e.getString("operator"))
        .put("probes", e.getValue("probes")).put("failed", failed.copy());
    return of(NotifyEvent.PROBE_FAILED, e, null, summary, details);
  }

  private static Notification of(NotifyEvent event, JsonObject e, String scope, String summary, JsonObject details) {
    Instant at;
    try {
      at = Instant.parse(e.getString("time"));
    } catch (RuntimeException missing) {
      at = Instant.now();
    }
    return new Notification(UUID.randomUUID().toString(), event, at, e.getString("node"), scope, summary, details);
  }

  static String scope(JsonObject json) {
    try {
      return ScopeKey.fromJson(json).toString();
    } catch (IllegalArgumentException e) {
      return json == null ? null : json.encode();
    }
  }

  /** Integers as integers, other numbers with at most four decimals. */
  static String number(Object value) {
    if (!(value instanceof Number n)) {
      return String.valueOf(value);
    }
    double v = n.doubleValue();
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4f", v)).stripTrailingZeros().toPlainString();
  }
}
