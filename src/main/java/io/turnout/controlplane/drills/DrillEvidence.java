package io.turnout.controlplane.drills;

import io.turnout.controlplane.gates.ClusterSignals;
import io.turnout.dataplane.signals.SignalCounts;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A drill's evidence from the cluster's signals (runbook section 3's list): per phase, the raw
 * counts of the drill's scopes by route version, role and provider; summed over the drill, the
 * request, error, latency, timeout, retry, malformed and usage numbers by route version. Counts
 * come from the gates' windows, so phase edges are bucket-wide ({@code gates.bucket_ms}); a phase
 * is counted again from the latest windows while they still hold it, and keeps what was counted
 * when it closed once they no longer do.
 */
final class DrillEvidence {

  private DrillEvidence() {}

  /**
   * {@code {"<route_version>|<role>|<provider>": counts}} of the drill's scopes from {@code fromMs}'s
   * bucket up to {@code toMs}'s, which belongs to the next phase unless {@code open} (the phase
   * still running).
   */
  static JsonObject phaseCounts(ClusterSignals signals, Set<ScopeKey> scopes, long fromMs, long toMs, boolean open) {
    JsonObject groups = new JsonObject();
    if (signals == null) {
      return groups;
    }
    Map<String, SignalCounts> byGroup = new TreeMap<>();
    signals.perKey(k -> scopes.contains(k.scope()), fromMs, toMs, open).forEach((key, counts) -> byGroup
        .computeIfAbsent(key.routeVersion() + "|" + key.role() + "|" + key.provider(), g -> new SignalCounts())
        .add(counts));
    byGroup.forEach((group, counts) -> groups.put(group, counts.toJson()));
    return groups;
  }

  /**
   * The evidence by route version, summed over the phases' counts ({@link Phase#counts()}): per
   * version the totals, and {@code by_role} the same numbers split by role (primary / fallback) and
   * the provider in that role.
   */
  static JsonObject byRoute(List<JsonObject> phaseCounts) {
    Map<String, SignalCounts> versions = new TreeMap<>();
    Map<String, Map<String, SignalCounts>> providers = new TreeMap<>();
    for (JsonObject counts : phaseCounts) {
      for (String group : counts.fieldNames()) {
        String[] parts = group.split("\\|", 3);
        SignalCounts c = SignalCounts.fromJson(counts.getJsonObject(group));
        versions.computeIfAbsent(parts[0], v -> new SignalCounts()).add(c);
        providers.computeIfAbsent(parts[0], v -> new TreeMap<>())
            .computeIfAbsent(parts[1] + "|" + parts[2], p -> new SignalCounts()).add(c);
      }
    }
    JsonObject byRoute = new JsonObject();
    versions.forEach((version, c) -> {
      JsonObject attempts = new JsonObject();
      JsonObject byRole = new JsonObject();
      providers.get(version).forEach((roleProvider, pc) -> {
        String[] rp = roleProvider.split("\\|", 2);
        attempts.put(rp[1], new JsonObject().put("role", rp[0]).put("requests", pc.requests())
            .put("attempts", pc.attempts()).put("errors", pc.failures()));
        byRole.put(rp[0], summary(pc).put("provider", rp[1]));
      });
      JsonObject summary = summary(c);
      long failedRequests = Math.max(0, c.requests() - c.answers());
      byRoute.put(version, summary.put("requests_answered", c.requests() - failedRequests)
          .put("requests_failed", failedRequests).put("providers", attempts).put("by_role", byRole));
    });
    return byRoute;
  }

  /**
   * The evidence numbers of one set of counts. {@code attempts_failed} (= {@code errors}) are the
   * failed upstream attempts, retried or not; {@code errors_by_class} adds up to them (a caller's
   * own cancellation is no error and is shown apart, as {@code attempts_cancelled_by_client}).
   */
  static JsonObject summary(SignalCounts c) {
    JsonObject errors = new JsonObject();
    for (ErrorClass errorClass : ErrorClass.values()) {
      if (errorClass != ErrorClass.CLIENT_CANCELLED && c.failures(errorClass) > 0) {
        errors.put(errorClass.wireName(), c.failures(errorClass));
      }
    }
    return new JsonObject()
        .put("requests", c.requests())
        .put("attempts", c.attempts())
        .put("attempts_failed", c.failures())
        .put("errors", c.failures())
        .put("errors_by_class", errors)
        .put("attempts_cancelled_by_client", c.failures(ErrorClass.CLIENT_CANCELLED))
        .put("error_rate", c.attempts() == 0 ? 0.0 : (double) c.failures() / c.attempts())
        .put("latency_ms", new JsonObject().put("p50", c.latencyQuantileMs(0.50)).put("p95", c.latencyQuantileMs(0.95))
            .put("p99", c.latencyQuantileMs(0.99)))
        .put("timeouts", c.failures(ErrorClass.TIMEOUT))
        .put("retries", c.retries())
        .put("fallbacks", c.fallbacks())
        .put("malformed_responses", c.failures(ErrorClass.MALFORMED_RESPONSE))
        .put("usage", new JsonObject().put("prompt_tokens", c.promptTokens())
            .put("completion_tokens", c.completionTokens()).put("total_tokens", c.tokens())
            .put("answers", c.answers()).put("answers_with_provider_usage", c.providerUsage())
            .put("usage_source", c.answers() == 0 ? "none" : c.providerUsage() == c.answers() ? "provider"
                : c.providerUsage() == 0 ? "none" : "partial")
            .put("estimated_cost_usd", c.costUsd()));
  }
}
