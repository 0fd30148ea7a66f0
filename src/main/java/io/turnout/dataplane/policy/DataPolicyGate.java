package io.turnout.dataplane.policy;

import io.turnout.dataplane.provider.ProviderOptions;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.dataplane.routing.RouteRejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.turnout.dataplane.provider.ProviderApproval;

/**
 * The request-time check of the data policy: before any attempt runs, every provider of a plan is
 * checked again against the caller's own cohort (an approval can lapse while the node runs, and a
 * caller's cohort may be served by the {@code *} scope). Attempts on a provider that may not serve
 * the cohort are dropped, so a failing primary never falls back to an unapproved provider; when
 * none is left the plan is refused and nothing is sent upstream.
 */
public final class DataPolicyGate {

  /** The gate of a node without a data policy: every plan passes unchanged. */
  public static final DataPolicyGate OFF = new DataPolicyGate(DataPolicy.OFF, Map.of());

  /**
   * A plan after the gate.
   *
   * @param plan the plan to run (possibly with fewer attempts, or rejected)
   * @param note for the request log: {@code dropped:<providers>} or {@code refused}; null when nothing changed
   */
  public record Outcome(RoutePlan plan, String note) {}

  private final DataPolicy policy;
  private final Map<String, ProviderApproval> approvals;

  public DataPolicyGate(DataPolicy policy, Map<String, ProviderApproval> approvals) {
    this.policy = policy;
    this.approvals = Map.copyOf(approvals);
  }

  /** The gate for a node's policy and the approvals of its providers. */
  public static DataPolicyGate of(DataPolicy policy, Map<String, ProviderOptions> providers) {
    if (!policy.enabled()) {
      return OFF;
    }
    return new DataPolicyGate(policy, approvalsOf(providers));
  }

  /** The approvals of the providers that have one, by provider name. */
  public static Map<String, ProviderApproval> approvalsOf(Map<String, ProviderOptions> providers) {
    Map<String, ProviderApproval> approvals = new LinkedHashMap<>();
    providers.forEach((name, p) -> {
      if (p.approval() != null) {
        approvals.put(name, p.approval());
      }
    });
    return approvals;
  }

  /** Checks a plan for a caller of {@code cohort} at {@code now}. */
  public Outcome apply(RoutePlan plan, String cohort, Instant now) {
    if (!policy.enabled() || plan.rejected()) {
      return new Outcome(plan, null);
    }
    CohortPolicy cohortPolicy = policy.forCohort(cohort);
    List<PlannedAttempt> kept = new ArrayList<>();
    List<PolicyViolation> dropped = new ArrayList<>();
    for (PlannedAttempt attempt : plan.attempts()) {
      PolicyViolation violation = DataPolicyChecker.check(cohortPolicy, attempt.provider(),
          approvals.get(attempt.provider()), now);
      if (violation == null) {
        kept.add(attempt);
      } else {
        dropped.add(violation);
      }
    }
    if (dropped.isEmpty()) {
      return new Outcome(plan, null);
    }
    if (kept.isEmpty()) {
      return new Outcome(plan.refused(RouteRejection.of(RouteRejection.Kind.DATA_POLICY_REFUSED,
          "No provider of route " + plan.routeVersion() + " may serve this request under the data policy: "
              + dropped.get(0).reason() + ".", null)), "refused");
    }
    return new Outcome(plan.withAttempts(kept),
        "dropped:" + String.join(",", dropped.stream().map(PolicyViolation::provider).toList()));
  }
}
