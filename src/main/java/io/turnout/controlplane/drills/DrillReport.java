package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A drill's report as a readable, self-contained HTML page (no scripts, no external resources):
 * what was tested, every step with its approver, every route change, the evidence by route, the
 * checks and the rollback decision. Every value is escaped.
 */
final class DrillReport {

  private DrillReport() {}

  static String html(JsonObject drill) {
    JsonObject evidence = drill.getJsonObject("evidence", new JsonObject());
    StringBuilder h = new StringBuilder(8_192);
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Drill ").append(esc(drill.getString("id")))
        .append("</title><style>body{font:14px system-ui,sans-serif;margin:2em;max-width:72em}"
            + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;"
            + "text-align:left;vertical-align:top}th{background:#f3f3f3}.fail{color:#b00020}.ok{color:#1b5e20}"
            + "</style></head><body>");
    h.append("<h1>Drill ").append(esc(drill.getString("id"))).append("</h1>");
    JsonObject scope = drill.getJsonObject("scope", new JsonObject());
    table(h, new String[] {"Scope", "Canary version", "Previous version", "Started", "By", "Reason", "Step",
        "Status"}, new JsonArray().add(new JsonArray().add(scope.getString("environment") + "/"
            + scope.getString("tenant_or_cohort") + "/" + scope.getString("model_alias"))
        .add(drill.getString("canary_version")).add(drill.getString("previous_version"))
        .add(drill.getString("started_at")).add(drill.getString("started_by")).add(drill.getString("reason"))
        .add(drill.getString("step")).add(drill.getString("status"))));
    if (drill.getString("next_step") != null) {
      h.append("<h2>Next approval: ").append(esc(drill.getString("next_step"))).append("</h2><ul>");
      arr(drill, "next_step_checks").forEach(c -> h.append("<li>").append(esc(String.valueOf(c)))
          .append("</li>"));
      h.append("</ul>");
    }
    if (drill.getString("blocked_reason") != null) {
      h.append("<p class=\"fail\">Blocked: ").append(esc(drill.getString("blocked_reason"))).append("</p>");
    }
    if (drill.getJsonObject("abort") != null) {
      JsonObject abort = drill.getJsonObject("abort");
      h.append("<p class=\"fail\">Aborted during ").append(esc(abort.getString("during"))).append(" by ")
          .append(esc(abort.getString("by"))).append(" at ").append(esc(abort.getString("at"))).append(": ")
          .append(esc(abort.getString("reason"))).append("</p>");
    }
    h.append("<h2>Steps and approvals</h2>");
    JsonArray steps = new JsonArray();
    arr(drill, "steps").forEach(s -> {
      JsonObject e = (JsonObject) s;
      steps.add(new JsonArray().add(e.getString("step")).add(e.getString("at")).add(e.getString("operator"))
          .add(e.getString("reason")).add(e.getBoolean("passed", false) ? "done" : "blocked").add(e.getString("detail")));
    });
    table(h, new String[] {"Step", "At", "Approved by", "Reason", "Outcome", "Detail"}, steps);
    h.append("<h2>Route version changes</h2>");
    JsonArray changes = new JsonArray();
    arr(evidence, "route_version_changes").forEach(c -> {
      JsonObject e = (JsonObject) c;
      JsonObject s = e.getJsonObject("scope", new JsonObject());
      changes.add(new JsonArray().add(e.getString("time")).add(s.getString("tenant_or_cohort") + "/"
          + s.getString("model_alias")).add(e.getString("from")).add(e.getString("to")).add(e.getString("operator"))
          .add(e.getString("step")).add(String.valueOf(e.getValue("revision"))));
    });
    table(h, new String[] {"Time", "Scope", "From", "To", "Operator", "Step", "Revision"}, changes);
    h.append("<h2>Evidence by route version and role</h2>");
    JsonArray routes = new JsonArray();
    evidence.getJsonObject("by_route", new JsonObject()).forEach(entry -> {
      JsonObject r = (JsonObject) entry.getValue();
      routes.add(row(entry.getKey(), "all", "", r).add(String.valueOf(r.getValue("requests_failed"))));
      r.getJsonObject("by_role", new JsonObject()).forEach(role -> {
        JsonObject byRole = (JsonObject) role.getValue();
        routes.add(row(entry.getKey(), role.getKey(), byRole.getString("provider"), byRole).add("—"));
      });
    });
    table(h, new String[] {"Route version", "Role", "Provider", "Requests", "Attempts", "Attempts failed",
        "Errors by class", "Latency p50 / p95 / p99 ms", "Timeouts", "Retries", "Malformed answers",
        "Prompt + completion tokens (usage source)", "Requests failed"}, routes);
    h.append("<h2>Probe runs the drill relied on</h2>");
    JsonArray runs = new JsonArray();
    arr(evidence, "probe_runs").forEach(p -> {
      JsonObject run = (JsonObject) p;
      StringBuilder failed = new StringBuilder();
      arr(run, "failures").forEach(f -> {
        JsonObject failure = (JsonObject) f;
        failed.append(failed.length() == 0 ? "" : "; ").append(failure.getString("probe")).append(": ")
            .append(failure.getString("error_class")).append(" on ").append(failure.getString("role")).append(' ')
            .append(failure.getString("provider"));
      });
      if (run.getString("error") != null) {
        failed.append(run.getString("error"));
      }
      runs.add(new JsonArray().add(run.getString("route_version")).add(run.getString("run_id"))
          .add(run.getString("time")).add(run.getString("node"))
          .add(run.getBoolean("passed", false) ? "passed" : "FAILED").add(failed.toString()));
    });
    table(h, new String[] {"Route version", "Run", "Time", "Member", "Outcome", "What failed"}, runs);
    checks(h, "Drain check", evidence.getJsonArray("drain_checks"));
    checks(h, "Rollback clean (before re-enabling)", evidence.getJsonArray("clean_checks"));
    JsonObject rollback = evidence.getJsonObject("rollback_decision");
    h.append("<h2>Rollback decision</h2>");
    if (rollback == null) {
      h.append("<p>None yet.</p>");
    } else {
      h.append("<p>").append(esc(rollback.getString("decision"))).append(" by ").append(esc(rollback.getString("by")))
          .append(" at ").append(esc(rollback.getString("at"))).append(": ").append(esc(rollback.getString("reason")))
          .append("</p>");
    }
    JsonObject baseline = evidence.getJsonObject("baseline", new JsonObject());
    h.append("<p>Baseline error rate before the drill: ").append(esc(String.valueOf(baseline.getValue("error_rate"))))
        .append(" over ").append(esc(String.valueOf(baseline.getValue("attempts")))).append(" attempts")
        .append(baseline.getBoolean("measured", false) ? "" : " (too few to measure: taken as 0)").append(".</p>");
    h.append("<p><small>").append(esc(evidence.getString("note"))).append("</small></p></body></html>\n");
    return h.toString();
  }

  private static JsonArray row(String version, String role, String provider, JsonObject r) {
    JsonObject latency = r.getJsonObject("latency_ms", new JsonObject());
    JsonObject usage = r.getJsonObject("usage", new JsonObject());
    StringBuilder classes = new StringBuilder();
    r.getJsonObject("errors_by_class", new JsonObject()).forEach(e -> classes.append(classes.length() == 0 ? "" : ", ")
        .append(e.getKey()).append(": ").append(e.getValue()));
    return new JsonArray().add(version).add(role).add(provider).add(String.valueOf(r.getValue("requests")))
        .add(String.valueOf(r.getValue("attempts"))).add(String.valueOf(r.getValue("attempts_failed")))
        .add(classes.toString())
        .add(latency.getValue("p50") + " / " + latency.getValue("p95") + " / " + latency.getValue("p99"))
        .add(String.valueOf(r.getValue("timeouts"))).add(String.valueOf(r.getValue("retries")))
        .add(String.valueOf(r.getValue("malformed_responses")))
        .add(usage.getValue("prompt_tokens") + " + " + usage.getValue("completion_tokens") + " ("
            + usage.getString("usage_source") + ")");
  }

  private static void checks(StringBuilder h, String title, JsonArray checks) {
    if (checks == null) {
      return;
    }
    h.append("<h2>").append(esc(title)).append("</h2><ul>");
    checks.forEach(c -> {
      JsonObject check = (JsonObject) c;
      boolean passed = check.getBoolean("passed", false);
      h.append("<li class=\"").append(passed ? "ok" : "fail").append("\">").append(esc(check.getString("check")))
          .append(passed ? ": passed — " : ": FAILED — ").append(esc(check.getString("detail"))).append("</li>");
    });
    h.append("</ul>");
  }

  private static void table(StringBuilder h, String[] headers, JsonArray rows) {
    h.append("<table><tr>");
    for (String header : headers) {
      h.append("<th>").append(esc(header)).append("</th>");
    }
    h.append("</tr>");
    for (int i = 0; i < rows.size(); i++) {
      h.append("<tr>");
      rows.getJsonArray(i).forEach(cell -> h.append("<td>").append(esc(cell == null ? "" : cell.toString()))
          .append("</td>"));
      h.append("</tr>");
    }
    if (rows.isEmpty()) {
      h.append("<tr><td colspan=\"").append(headers.length).append("\">none</td></tr>");
    }
    h.append("</table>");
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The array at {@code key}, or an empty one when it is missing or null (an ended drill has no next step). */
  private static JsonArray arr(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonArray array ? array : new JsonArray();
  }
}
