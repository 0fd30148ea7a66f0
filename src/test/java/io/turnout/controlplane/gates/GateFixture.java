package io.turnout.controlplane.gates;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.turnout.dataplane.signals.PriceTable;
import io.turnout.dataplane.signals.SignalKey;
import io.turnout.dataplane.signals.SignalWindows;

/**
 * A route map with a baseline, a version with a fallback and a canary, and helpers that record
 * attempts on one or more members' windows and evaluate them as the cluster would.
 */
public final class GateFixture {

  public static final long T0 = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
  public static final ScopeKey SCOPE = new ScopeKey("production", "*", "support");
  public static final String ROUTES = """
      aliases:
        support:
          provider_models: {primary: gpt-primary, cometapi: gpt-comet}
          rollback_target: v0
      routes:
        - {route_version: v0, environment: production, tenant_or_cohort: "*", model_alias: support,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: v0, owner: t}
        - {route_version: v1, environment: production, tenant_or_cohort: "*", model_alias: support,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: v0, owner: t}
        - {route_version: canary, environment: production, tenant_or_cohort: "*", model_alias: support,
           mode: canary, primary_provider: primary, fallback_provider: cometapi, canary_share: 0.2, timeout_ms: 30000,
           rollback_route_version: v1, owner: t}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: support, route_version: canary}
      """;
  public static final RouteMap MAP = RouteMap.parse("routes.yaml", ROUTES, Set.of("primary", "cometapi"),
      Instant.ofEpochMilli(T0));

  private GateFixture() {}

  /** The scope on {@code version} at {@code revision}, holding {@code control}. */
  public static RouteSnapshot on(String version, long revision, ScopeControl control) {
    return new RouteSnapshot(MAP, new ActivePointers(revision, Map.of(SCOPE, version), Map.of(SCOPE, control)),
        "routes.yaml", Instant.ofEpochMilli(T0));
  }

  public static SignalKey key(String version, long epoch, String provider, String role) {
    return new SignalKey(SCOPE, version, epoch, provider, role, SignalKey.NO_COHORT);
  }

  /** {@code total} attempts, {@code failed} of them failing with {@code errorClass}, at {@code atMs}. */
  public static void record(SignalWindows windows, SignalKey key, int total, int failed, ErrorClass errorClass, long atMs) {
    for (int i = 0; i < total; i++) {
      windows.attempt(key, i < failed ? errorClass : null, 5_000_000, false, false, atMs);
    }
  }

  public static void answers(SignalWindows windows, SignalKey key, int count, Usage usage, long atMs) {
    for (int i = 0; i < count; i++) {
      windows.answer(key, "gpt-comet", usage, atMs);
    }
  }

  public static SignalWindows windows() {
    return new SignalWindows(1_000, 3_600_000, PriceTable.NONE);
  }

  /** Every member's export added up at {@code nowMs}, as each member sees it. */
  public static ClusterSignals cluster(long nowMs, SignalWindows... members) {
    return ClusterSignals.merge(1_000, java.util.Arrays.stream(members).map(w -> w.export(nowMs)).toList());
  }

  public static GateEvaluator.Evaluation evaluate(List<GateRule> rules, RouteSnapshot snapshot, long nowMs,
      SignalWindows... members) {
    return new GateEvaluator(rules).evaluate(snapshot, cluster(nowMs, members), nowMs);
  }

  public static GateRule rule(String name, GateSignal signal, double above, long windowMs, long minSamples,
      GateAction action) {
    return new GateRule(name, signal, "fallback", null, above, windowMs, minSamples, action, 0.5, 0.05, false,
        List.of());
  }

  public static GateRule dryRun(GateRule rule) {
    return new GateRule(rule.name(), rule.signal(), rule.role(), rule.provider(), rule.above(), rule.windowMs(),
        rule.minSamples(), rule.action(), rule.reduceFactor(), rule.reduceFloor(), true, rule.scopes());
  }

  public static Verdict verdict(GateEvaluator.Evaluation evaluation, String gate) {
    return evaluation.verdicts().stream().filter(v -> v.rule().name().equals(gate)).findFirst().orElseThrow();
  }
}
