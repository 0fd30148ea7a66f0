package io.turnout.controlplane.drills;

import io.turnout.controlplane.gates.ClusterSignals;
import io.turnout.dataplane.signals.SignalCounts;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a drill's rollback was clean (runbook section 3, step 6 and "Rollback validation"),
 * judged on the cluster's signals: nothing still uses the fallback route (no attempt in flight on
 * its versions on any member, no attempt on them since the rollback settled, no connection pool
 * kept for a provider no version in force uses), new requests reach the prior route, and the
 * scope's error rate is back at its pre-drill baseline.
 */
final class RollbackChecks {

  /** One check's outcome, with the numbers behind it. */
  record Check(String name, boolean passed, String detail) {
    JsonObject toJson() {
      return new JsonObject().put("check", name).put("passed", passed).put("detail", detail);
    }

    static Check fromJson(JsonObject json) {
      return new Check(json.getString("check"), json.getBoolean("passed", false), json.getString("detail"));
    }
  }

  /** What the checks look at. */
  record Facts(ClusterSignals signals, Set<ScopeKey> scopes, Set<String> fallbackVersions, String previousVersion,
      long settledFromMs, long nowMs, Set<String> fallbackOnlyProviders, boolean cancelled) {

    Facts(ClusterSignals signals, Set<ScopeKey> scopes, Set<String> fallbackVersions, String previousVersion,
        long settledFromMs, long nowMs, Set<String> fallbackOnlyProviders) {
      this(signals, scopes, fallbackVersions, previousVersion, settledFromMs, nowMs, fallbackOnlyProviders, false);
    }
  }

  private RollbackChecks() {}

  /** Step 6: nothing still uses the fallback route. */
  static List<Check> drain(Facts facts) {
    List<Check> checks = new ArrayList<>();
    long inFlight = facts.fallbackVersions().stream().mapToLong(v -> facts.signals().inFlight(v)).sum();
    // Attempts in flight on a version the scopes left started before the rollback (no new attempt is
    // planned on it): the check waits for them; they are not new attempts once they end.
    checks.add(new Check("no_attempts_in_flight", inFlight == 0, inFlight == 0
        ? "no attempt in flight on " + facts.fallbackVersions() + " across the members"
        : "waiting for " + inFlight + " attempt(s) in flight on " + facts.fallbackVersions() + " across the members, "
            + "started before the rollback" + (facts.cancelled() ? " (cancelled on every member; they end shortly)"
                : ": they end by themselves, or approve with cancel_in_flight: true to cancel them")));
    if (facts.nowMs() < facts.settledFromMs()) {
      checks.add(new Check("no_new_attempts", false, "too early: attempts are judged from "
          + java.time.Instant.ofEpochMilli(facts.settledFromMs()) + " on (the rollback, plus the drain grace,"
          + " rounded up to a whole bucket)"));
    } else {
      // Counted by the bucket each attempt started in: one that started before the rollback and
      // ended after it (a long stream) is not a new attempt on the fallback route.
      SignalCounts after = facts.signals().between(k -> facts.scopes().contains(k.scope())
          && facts.fallbackVersions().contains(k.routeVersion()), facts.settledFromMs(), facts.nowMs());
      checks.add(new Check("no_new_attempts", after.attemptsStarted() == 0, after.attemptsStarted()
          + " attempt(s) (retries and fallbacks included) started on " + facts.fallbackVersions()
          + " since the rollback settled at " + java.time.Instant.ofEpochMilli(facts.settledFromMs())));
    }
    for (String provider : facts.fallbackOnlyProviders()) {
      Boolean pooled = facts.signals().pooledAnywhere(provider);
      checks.add(new Check("pool_released:" + provider, !Boolean.TRUE.equals(pooled), Boolean.TRUE.equals(pooled)
          ? "a member still keeps connections to " + provider + ", which no version in force uses"
          : "no member keeps connections to " + provider));
    }
    return checks;
  }

  /** Before re-enabling: the drain checks, new requests on the prior route, the error rate at baseline. */
  static List<Check> clean(Facts facts, double baselineErrorRate, double tolerance, long minSamples) {
    List<Check> checks = new ArrayList<>(drain(facts));
    if (facts.nowMs() < facts.settledFromMs()) {
      return checks;
    }
    SignalCounts prior = facts.signals().between(k -> facts.scopes().contains(k.scope())
        && facts.previousVersion().equals(k.routeVersion()), facts.settledFromMs(), facts.nowMs());
    checks.add(new Check("requests_on_prior_route", prior.requests() > 0, prior.requests() + " request(s) on "
        + facts.previousVersion() + " since the rollback"));
    SignalCounts scope = facts.signals().between(k -> facts.scopes().contains(k.scope()), facts.settledFromMs(),
        facts.nowMs());
    double rate = scope.attempts() == 0 ? 0 : (double) scope.failures() / scope.attempts();
    boolean enough = scope.attempts() >= minSamples;
    checks.add(new Check("error_rate_at_baseline", enough && rate <= baselineErrorRate + tolerance,
        enough ? String.format(java.util.Locale.ROOT, "error rate %.4f over %d attempts since the rollback; "
            + "baseline %.4f + tolerance %.4f", rate, scope.attempts(), baselineErrorRate, tolerance)
            : "only " + scope.attempts() + " attempt(s) since the rollback, " + minSamples + " needed"));
    return checks;
  }

  /** {@code name ok (detail); name FAILED (detail)}: the step's detail. */
  static String describe(List<Check> checks) {
    StringBuilder text = new StringBuilder();
    for (Check check : checks) {
      text.append(text.length() == 0 ? "" : "; ").append(check.name()).append(check.passed() ? " ok" : " FAILED")
          .append(" (").append(check.detail()).append(')');
    }
    return text.toString();
  }

  static boolean allPassed(List<Check> checks) {
    return checks.stream().allMatch(Check::passed);
  }

}
