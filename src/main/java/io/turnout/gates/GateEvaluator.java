package io.turnout.gates;

import io.turnout.routing.RouteMode;
import io.turnout.routing.RouteSnapshot;
import io.turnout.routing.RouteVersion;
import io.turnout.routing.ScopeControl;
import io.turnout.routing.ScopeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gates' pure core: given the route state and the cluster's signals at one instant, every
 * gate's verdict on every active scope and the one change (if any) each scope's breaches call
 * for. Every member computes the same result from the same inputs; the route state's
 * compare-and-set makes sure only one member's change is made.
 *
 * <p>A scope is judged on its active version in its current epoch only. Of several breaching
 * gates the most severe action wins. A rollback whose target is itself failing (its serving
 * provider breaches a health gate in this scope) pauses the scope instead; a paused scope is
 * still evaluated and reported, but no gate acts on it until an operator does.
 */
public final class GateEvaluator {

  /** Everything one evaluation found. */
  public record Evaluation(List<Verdict> verdicts, List<GateDecision> decisions) {}

  private final List<GateRule> rules;

  public GateEvaluator(List<GateRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public Evaluation evaluate(RouteSnapshot snapshot, ClusterSignals signals, long nowMs) {
    List<Verdict> verdicts = new ArrayList<>();
    List<GateDecision> decisions = new ArrayList<>();
    for (Map.Entry<ScopeKey, String> pointer : snapshot.pointers().byScope().entrySet()) {
      ScopeKey scope = pointer.getKey();
      RouteVersion route = snapshot.map().version(pointer.getValue());
      if (route == null) {
        continue;
      }
      ScopeControl control = snapshot.pointers().control(scope);
      Verdict worst = null;
      for (GateRule rule : rules) {
        if (!rule.covers(scope) || !rule.appliesTo(route)) {
          continue;
        }
        SignalCounts counts = signals.sum(key -> key.scope().equals(scope)
            && key.routeVersion().equals(route.routeVersion()) && key.epoch() == control.epoch() && rule.reads(key),
            nowMs, rule.windowMs());
        Verdict verdict = judge(rule, scope, route.routeVersion(), control.epoch(), counts, nowMs);
        verdicts.add(verdict);
        if (verdict.state() == Verdict.State.BREACH && !rule.dryRun()
            && (worst == null || rule.action().severity() > worst.rule().action().severity())) {
          worst = verdict;
        }
      }
      if (worst != null && !control.paused()) {
        GateDecision decision = decide(snapshot, scope, route, control, worst, signals, nowMs);
        if (decision != null) {
          decisions.add(decision);
        }
      }
    }
    return new Evaluation(verdicts, decisions);
  }

  private static Verdict judge(GateRule rule, ScopeKey scope, String version, long epoch, SignalCounts counts,
      long nowMs) {
    long samples = rule.signal().samples(counts);
    double value = rule.signal().value(counts);
    Verdict.State state = samples < rule.minSamples() ? Verdict.State.INCONCLUSIVE
        : value > rule.above() ? Verdict.State.BREACH : Verdict.State.PASS;
    return new Verdict(rule, scope, version, epoch, state, value, samples, nowMs);
  }

  private GateDecision decide(RouteSnapshot snapshot, ScopeKey scope, RouteVersion route, ScopeControl control,
      Verdict verdict, ClusterSignals signals, long nowMs) {
    long revision = snapshot.pointers().revision();
    String by = "gate:" + verdict.rule().name();
    boolean canary = route.mode() == RouteMode.CANARY;
    double share = control.shareFor(route);
    switch (verdict.rule().action()) {
      case STOP_EXPANSION:
        return control.frozen() ? null : new GateDecision(scope, route.routeVersion(), revision,
            GateDecision.Kind.FREEZE, control.keepOverride(new ScopeControl(control.epoch(), control.canaryShare(), true, null, by)),
            null,
            "expansion stopped: " + verdict.describe(), verdict);
      case REDUCE:
        if (canary && share > verdict.rule().reduceFloor()) {
          double reduced = Math.max(verdict.rule().reduceFloor(), share * verdict.rule().reduceFactor());
          return new GateDecision(scope, route.routeVersion(), revision, GateDecision.Kind.REDUCE,
              control.keepOverride(new ScopeControl(revision + 1, reduced, true, null, by)), null,
              "canary share cut from " + Verdict.format(share) + " to " + Verdict.format(reduced) + ": "
                  + verdict.describe(), verdict);
        }
        return rollback(snapshot, scope, route, control, verdict, signals, nowMs,
            canary ? "canary share already at its floor; " : "no canary share to reduce; ");
      case TEST_SHARE:
        if (canary) {
          double cap = verdict.rule().reduceFloor();
          return share <= cap && control.frozen() ? null : new GateDecision(scope, route.routeVersion(), revision,
              GateDecision.Kind.TEST_SHARE, control.keepOverride(new ScopeControl(
                  share <= cap ? control.epoch() : revision + 1, Math.min(share, cap), true, null, by)), null,
              "kept at test level, canary share " + Verdict.format(Math.min(share, cap)) + ": "
                  + verdict.describe(), verdict);
        }
        return rollback(snapshot, scope, route, control, verdict, signals, nowMs,
            "no canary share to keep at test level; ");
      case STOP:
        if (canary) {
          return share == 0 && control.frozen() ? null : new GateDecision(scope, route.routeVersion(), revision,
              GateDecision.Kind.STOP, control.keepOverride(new ScopeControl(revision + 1, 0.0, true, null, by)), null,
              "test stopped, canary share 0: " + verdict.describe(), verdict);
        }
        return rollback(snapshot, scope, route, control, verdict, signals, nowMs, "no canary to stop; ");
      case ROLLBACK:
      default:
        return rollback(snapshot, scope, route, control, verdict, signals, nowMs, "");
    }
  }

  private GateDecision rollback(RouteSnapshot snapshot, ScopeKey scope, RouteVersion route, ScopeControl control,
      Verdict verdict, ClusterSignals signals, long nowMs, String why) {
    long revision = snapshot.pointers().revision();
    String by = "gate:" + verdict.rule().name();
    if (route.isBaseline()) {
      return pause(scope, route, control, revision, by, why + route.routeVersion()
          + " is a baseline with nothing to roll back to", verdict);
    }
    RouteVersion target = snapshot.map().version(route.rollbackRouteVersion());
    String sickness = target == null ? "rollback version " + route.rollbackRouteVersion() + " is not in the route map"
        : sickness(scope, target, signals, nowMs);
    if (sickness != null) {
      return pause(scope, route, control, revision, by, why + "rollback target " + route.rollbackRouteVersion()
          + " is failing too: " + sickness, verdict);
    }
    return new GateDecision(scope, route.routeVersion(), revision, GateDecision.Kind.ROLLBACK, null,
        target.routeVersion(), why + "rolled back to " + target.routeVersion() + ": " + verdict.describe(), verdict);
  }

  private static GateDecision pause(ScopeKey scope, RouteVersion route, ScopeControl control, long revision,
      String by, String reason, Verdict verdict) {
    return new GateDecision(scope, route.routeVersion(), revision, GateDecision.Kind.PAUSE,
        control.keepOverride(new ScopeControl(control.epoch(), control.canaryShare(), true, reason, by)), null,
        "paused: " + reason + " (" + verdict.describe() + ")", verdict);
  }

  /**
   * Why the version a rollback would move to is failing, or null when it is not known to be: its
   * serving provider's recent attempts in this scope (any version, any role) breach a
   * non-dry-run health gate with enough samples. Without samples nothing is known, and a
   * rollback is the safe default.
   */
  private String sickness(ScopeKey scope, RouteVersion target, ClusterSignals signals, long nowMs) {
    String provider = switch (target.mode()) {
      case DISABLED -> null;
      case FALLBACK_ONLY -> target.fallbackProvider();
      default -> target.primaryProvider();
    };
    if (provider == null) {
      return null;
    }
    for (GateRule rule : rules) {
      if (rule.dryRun() || !rule.signal().isHealth() || !rule.covers(scope)) {
        continue;
      }
      SignalCounts counts = signals.sum(key -> key.scope().equals(scope) && key.provider().equals(provider), nowMs,
          rule.windowMs());
      Verdict verdict = judge(rule, scope, target.routeVersion(), -1, counts, nowMs);
      if (verdict.state() == Verdict.State.BREACH) {
        return "provider " + provider + " " + rule.signal().wireName() + " " + Verdict.format(verdict.value())
            + " > " + Verdict.format(rule.above()) + " (" + verdict.samples() + " samples, gate " + rule.name() + ")";
      }
    }
    return null;
  }
}
