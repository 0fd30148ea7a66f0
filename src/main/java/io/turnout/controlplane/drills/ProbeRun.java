package io.turnout.controlplane.drills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe run the drill relied on, with what failed in it.
 *
 * @param runId the run's id (null when the run could not be made at all)
 * @param error why the run could not be made, or null
 * @param failures the probes that did not pass
 */
public record ProbeRun(String routeVersion, boolean passed, String runId, String time, String node, String error,
    List<Failure> failures) {

  /** One probe that did not pass: its name, the provider and role it probed, and its failure class. */
  public record Failure(String probe, String provider, String role, String errorClass, String detail) {

    JsonObject toJson() {
      return new JsonObject().put("probe", probe).put("provider", provider).put("role", role)
          .put("error_class", errorClass).put("detail", detail);
    }

    /** {@code timeout (fallback cometapi: answered after 5000 ms)}. */
    String describe() {
      return probe + ": " + (errorClass == null ? "failed" : errorClass) + " on " + role + " " + provider
          + (detail == null ? "" : " (" + detail + ")");
    }
  }

  public ProbeRun {
    failures = List.copyOf(failures);
  }

  /** Reads a probe run's evidence ({@code ProbeEvidence.toJson}) as the drill keeps it. */
  static ProbeRun fromEvidence(JsonObject run) {
    List<Failure> failed = new ArrayList<>();
    JsonArray probes = run.getJsonArray("probes", new JsonArray());
    for (int i = 0; i < probes.size(); i++) {
      JsonObject p = probes.getJsonObject(i);
      if (!p.getBoolean("passed", false)) {
        failed.add(new Failure(p.getString("name"), p.getString("provider"), p.getString("role"),
            p.getString("error_class"), p.getString("detail")));
      }
    }
    return new ProbeRun(run.getString("route_version"), run.getBoolean("passed", false), run.getString("run_id"),
        run.getString("time"), run.getString("node"), run.getString("error"), failed);
  }

  /** What failed, for the step's detail: {@code chat-canary: tool_call: malformed_response on fallback cometapi}. */
  String describeFailure() {
    if (error != null) {
      return routeVersion + ": the run could not be made (" + error + ")";
    }
    List<String> parts = failures.stream().map(Failure::describe).toList();
    return routeVersion + ": " + (parts.isEmpty() ? "failed" : String.join(", ", parts));
  }

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    failures.forEach(f -> list.add(f.toJson()));
    return new JsonObject().put("route_version", routeVersion).put("passed", passed).put("run_id", runId)
        .put("time", time).put("node", node).put("error", error).put("failures", list);
  }

  static ProbeRun fromJson(JsonObject json) {
    List<Failure> failed = new ArrayList<>();
    JsonArray list = json.getJsonArray("failures", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject f = list.getJsonObject(i);
      failed.add(new Failure(f.getString("probe"), f.getString("provider"), f.getString("role"),
          f.getString("error_class"), f.getString("detail")));
    }
    return new ProbeRun(json.getString("route_version"), json.getBoolean("passed", false), json.getString("run_id"),
        json.getString("time"), json.getString("node"), json.getString("error"), failed);
  }
}
