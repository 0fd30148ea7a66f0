package io.turnout.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Reads a drill's JSON ({@code GET /admin/drills/<id>}) for an operator: which step the next
 * approval runs and what it checks, and the evidence so far. The node says both
 * ({@code next_step}, {@code next_step_checks}); for a node that does not yet, they are derived
 * here from {@code step} and {@code status} in the drill's fixed step order.
 */
final class DrillView {

  /** The step order of io.turnout.controlplane.drills.DrillStep: an approval runs the step after the current one. */
  private static final List<String> ORDER = List.of("prepared", "probes", "internal", "canary", "rollback",
      "drain_check", "reenable", "complete");

  /** What each step's approval does and checks (README "Drills"), for nodes that do not send next_step_checks. */
  private static final Map<String, String> CHECKS = Map.of(
      "probes", "runs the preflight probes of the canary and internal versions, the versions they return to and "
          + "their rollback versions; passes when every run passed",
      "internal", "moves the internal cohort to the drill's internal version (skipped when it names none)",
      "canary", "moves the scope to the canary version at its configured share",
      "rollback", "returns the scope and the internal cohort to their previous versions (forced), recording the "
          + "rollback decision and this reason",
      "drain_check", "checks that nothing uses the fallback route: no attempt in flight, no attempt since the "
          + "rollback settled, no pool kept for a provider no version uses",
      "reenable", "only after a clean rollback (drain checks, requests on the prior route, error rate at baseline) "
          + "moves the scope to the canary version again; the drill is then complete");

  private DrillView() {}

  /** Whether the drill has ended (complete or aborted). */
  static boolean ended(JsonObject drill) {
    String step = drill.getString("step");
    return "complete".equals(step) || "aborted".equals(step);
  }

  static boolean blocked(JsonObject drill) {
    return "blocked".equals(drill.getString("status"));
  }

  /** The step the next approval runs; null once the drill ended. */
  static String nextStep(JsonObject drill) {
    if (drill.containsKey("next_step")) {
      return drill.getString("next_step");
    }
    if (ended(drill)) {
      return null;
    }
    String step = drill.getString("step");
    if (blocked(drill)) {
      return step; // a blocked step is retried, never skipped
    }
    int i = ORDER.indexOf(step);
    return i < 0 || i + 1 >= ORDER.size() ? null : ORDER.get(i + 1);
  }

  /** What the next approval will do and check. */
  static List<String> nextChecks(JsonObject drill) {
    JsonArray checks = drill.getJsonArray("next_step_checks");
    if (checks != null) {
      return checks.stream().map(String::valueOf).toList();
    }
    String next = nextStep(drill);
    return next == null || !CHECKS.containsKey(next) ? List.of() : List.of(CHECKS.get(next));
  }

  /** The drill's state in one line. */
  static String headline(JsonObject drill) {
    return "drill " + drill.getString("id") + " on " + Fmt.scope(drill.getJsonObject("scope")) + ": "
        + drill.getString("canary_version") + " against " + drill.getString("previous_version") + "; step "
        + drill.getString("step") + ", " + drill.getString("status", "").toUpperCase(java.util.Locale.ROOT)
        + (drill.getString("blocked_reason") == null ? "" : ": " + drill.getString("blocked_reason"));
  }

  /** The step timeline, the evidence per route version and the checks run so far. */
  static void evidence(PrintWriter out, JsonObject drill) {
    Table steps = new Table("step", "result", "operator", "at", "reason", "detail");
    for (JsonObject s : Fmt.objects(drill.getJsonArray("steps"))) {
      steps.row(s.getString("step"), s.getBoolean("passed", false) ? "done" : "BLOCKED", s.getString("operator"),
          s.getString("at"), s.getString("reason"), s.getString("detail"));
    }
    steps.print(out);
    numbers(out, drill);
    JsonObject evidence = drill.getJsonObject("evidence", new JsonObject());
    checks(out, "probe runs", Fmt.objects(evidence.getJsonArray("probe_runs", drill.getJsonArray("probe_runs"))),
        "route_version", "run_id");
    checks(out, "drain checks", Fmt.objects(evidence.getJsonArray("drain_checks", drill.getJsonArray("drain_checks"))),
        "check", "detail");
    checks(out, "clean-rollback checks", Fmt.objects(evidence.getJsonArray("clean_checks",
        drill.getJsonArray("clean_checks"))), "check", "detail");
    out.flush();
  }

  /** The evidence per route version so far (requests, errors, latency, fallbacks, tokens), if any. */
  static void numbers(PrintWriter out, JsonObject drill) {
    JsonObject byRoute = drill.getJsonObject("evidence", new JsonObject()).getJsonObject("by_route", new JsonObject());
    if (!byRoute.isEmpty()) {
      out.println();
      Table routes = new Table("route_version", "requests", "attempts", "errors", "error_rate", "p95_ms", "fallbacks",
          "timeouts", "tokens");
      for (String version : byRoute.fieldNames()) {
        JsonObject r = byRoute.getJsonObject(version);
        JsonObject latency = r.getJsonObject("latency_ms", new JsonObject());
        JsonObject usage = r.getJsonObject("usage", new JsonObject());
        routes.row(version, r.getValue("requests"), r.getValue("attempts"), r.getValue("errors"),
            Fmt.number(r.getValue("error_rate")), latency.getValue("p95"), r.getValue("fallbacks"), r.getValue("timeouts"),
            usage.getValue("total_tokens"));
      }
      routes.print(out);
    }
    out.flush();
  }

  private static void checks(PrintWriter out, String title, List<JsonObject> rows, String name, String detail) {
    if (rows.isEmpty()) {
      return;
    }
    out.println();
    out.println(title + ":");
    Table table = new Table("result", name, detail);
    rows.forEach(r -> table.row(r.getBoolean("passed", false) ? "pass" : "FAIL", r.getString(name),
        r.getString(detail) != null ? r.getString(detail) : r.getString("error")));
    table.print(out);
  }
}
