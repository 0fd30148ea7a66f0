package io.turnout.controlplane.probes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One probe run of a route version: the evidence an activation is judged on, kept as the latest
 * run per version cluster-wide and appended to the evidence file.
 *
 * @param runId unique per run
 * @param time when the run ended
 * @param node the member that ran it (probes go out from that member's network path)
 * @param operator who asked for it
 * @param passed whether every probe passed
 * @param probes every probe's result, in run order
 */
public record ProbeEvidence(String runId, Instant time, String routeVersion, String node, String operator,
    boolean passed, List<ProbeResult> probes) {

  public ProbeEvidence {
    probes = List.copyOf(probes);
  }

  /** A run's evidence; passed when every probe passed (a version with no provider to probe passes). */
  public static ProbeEvidence of(String runId, Instant time, String routeVersion, String node, String operator,
      List<ProbeResult> probes) {
    return new ProbeEvidence(runId, time, routeVersion, node, operator, probes.stream().allMatch(ProbeResult::passed),
        probes);
  }

  /** The evidence shape: {@code {run_id, time, route_version, node, operator, passed, probes: [...]}}. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    probes.forEach(p -> list.add(p.toJson()));
    return new JsonObject().put("run_id", runId).put("time", time.toString()).put("route_version", routeVersion)
        .put("node", node).put("operator", operator).put("passed", passed).put("probes", list);
  }
}
