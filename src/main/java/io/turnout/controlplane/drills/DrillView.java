package io.turnout.controlplane.drills;

import io.turnout.controlplane.gates.LatestSignals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill as the admin API and its report show it: {@link Drill#toJson()} with {@code evidence}
 * added and each phase's raw signal counts rendered as named evidence ({@code by_route}), so no
 * wire abbreviation of the signals reaches an operator.
 */
final class DrillView {

  private final LatestSignals signals;
  private final long bucketMs;
  private final long horizonMs;

  DrillView(LatestSignals signals, long bucketMs, long horizonMs) {
    this.signals = signals;
    this.bucketMs = bucketMs;
    this.horizonMs = horizonMs;
  }

  /** The drill with its evidence summed so far (the open phase included). */
  JsonObject of(Drill drill, long nowMs) {
    List<JsonObject> counts = new ArrayList<>();
    JsonArray phases = new JsonArray();
    for (Phase phase : drill.phases()) {
      JsonObject c = phase.counts();
      // Counted when the phase closed, from signals up to a tick old; while the windows still hold
      // the whole phase, count it again from the latest ones, which have every member's last attempts.
      if (signals.signals() != null && phase.fromMs() > nowMs - horizonMs + bucketMs) {
        c = DrillEvidence.phaseCounts(signals.signals(), drill.scopes(), phase.fromMs(), phase.toMs(), false);
      }
      counts.add(c);
      phases.add(view(phase.step(), phase.toJson(), c));
    }
    if (!drill.finished()) {
      JsonObject open = DrillEvidence.phaseCounts(signals.signals(), drill.scopes(), drill.phaseStartedMs(), nowMs,
          true);
      counts.add(open);
      phases.add(view(drill.step(), new JsonObject().put("from", java.time.Instant.ofEpochMilli(
          drill.phaseStartedMs()).toString()), open));
    }
    JsonArray approvals = new JsonArray();
    drill.approvals().forEach(a -> approvals.add(new JsonObject().put("step", a.step().wireName())
        .put("operator", a.operator()).put("at", java.time.Instant.ofEpochMilli(a.atMs()).toString())
        .put("reason", a.reason())));
    JsonObject json = drill.toJson();
    JsonObject evidence = new JsonObject()
        .put("route_version_changes", json.getJsonArray("route_changes"))
        .put("by_route", DrillEvidence.byRoute(counts))
        .put("approvals", approvals)
        .put("rollback_decision", json.getJsonObject("rollback"))
        .put("baseline", json.getJsonObject("baseline"))
        .put("drain_checks", json.getJsonArray("drain_checks"))
        .put("clean_checks", json.getJsonArray("clean_checks"))
        .put("probe_runs", json.getJsonArray("probe_runs"))
        .put("note", "counts come from the gates' windows: phase edges are rounded to whole buckets, latencies are "
            + "per attempt and reported as histogram bucket upper bounds; requests_failed are requests counted on a "
            + "version without an answer there");
    json.remove("phase_started_ms");
    json.put("phases", phases).put("evidence", evidence);
    return json;
  }

  private static JsonObject view(DrillStep step, JsonObject phase, JsonObject counts) {
    return new JsonObject().put("step", step.wireName()).put("from", phase.getString("from"))
        .put("to", phase.getString("to")).put("by_route", DrillEvidence.byRoute(List.of(counts)));
  }
}
