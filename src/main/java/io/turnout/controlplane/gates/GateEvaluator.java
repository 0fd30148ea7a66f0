package io.turnout.controlplane.gates;

import io.turnout.routes.RollbackChain;
import io.turnout.routes.RouteMode;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.turnout.dataplane.signals.SignalCounts;

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

  /**
   * How a pause because the rollback target was failing says so; such a pause ends by itself (the
   * rollback completes) once the target is healthy again.
   */
  static final String SICK_TARGET = " is failing too: ";

  private final List<GateRule> rules;
  private final Sustain sustain = new Sustain();

  public GateEvaluator(List<GateRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * One evaluation at {@code nowMs}. Rules that ask for a sustained breach remember earlier
   * evaluations of this evaluator, so call it with non-decreasing times.
   */
  public Evaluation evaluate(RouteSnapshot snapshot, ClusterSignals signals, long nowMs) {
    sustain.beginEvaluation();
    try {
      return evaluateOnce(snapshot, signals, nowMs);
    } finally {
      sustain.endEvaluation();
    }
  }

  private Evaluation evaluateOnce(RouteSnapshot snapshot, ClusterSignals signals, long nowMs) {
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
        Verdict raw = judge(rule, scope, route.routeVersion(), control.epoch(), counts, nowMs);
        Sustain.Standing standing = sustain.record(rule, scope, route.routeVersion(), control.epoch(), raw.state(),
            nowMs);
        Verdict verdict = new Verdict(rule, scope, raw.routeVersion(), raw.epoch(), raw.state(), raw.value(),
            raw.samples(), nowMs, standing.actionable(), standing.why());
        verdicts.add(verdict);
        if (verdict.actionable() && !rule.dryRun()
            && (worst == null || rule.action().severity() > worst.rule().action().severity())) {
          worst = verdict;
        }
      }
      if (control.paused() && control.pausedReason().contains(SICK_TARGET) && control.heldBy() != null
          && control.heldBy().startsWith("gate:")) {
        GateDecision resumed = resumePausedRollback(snapshot, scope, route, control, signals, nowMs);
        if (resumed != null) {
          decisions.add(resumed);
        }
      } else if (worst != null && !control.paused()) {
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
    // An expired rollback target is walked past the way expiry walks it: a rollback always lands
    // on a version that can serve, or the scope is paused (once: a paused scope is not acted on).
    Instant now = Instant.ofEpochMilli(nowMs);
    RollbackChain.Outcome landing = RollbackChain.follow(snapshot.map(), route.rollbackRouteVersion(), now);
    RouteVersion target = landing.effective();
    if (target == null || target.isExpired(now)) {
      return pause(scope, route, control, revision, by, why + "no rollback target can serve: "
          + (target == null ? landing.problem() : "the rollback chain of " + route.routeVersion() + " ends at "
          + target.routeVersion() + ", expired at " + target.expiresAt()), verdict);
    }
    String walked = target.routeVersion().equals(route.rollbackRouteVersion()) ? ""
        : " (its rollback version " + route.rollbackRouteVersion() + " has expired)";
    String sickness = sickness(scope, target, signals, nowMs);
    if (sickness != null) {
      return pause(scope, route, control, revision, by, why + "rollback target " + target.routeVersion()
          + SICK_TARGET + sickness, verdict);
    }
    return new GateDecision(scope, route.routeVersion(), revision, GateDecision.Kind.ROLLBACK, null,
        target.routeVersion(), why + "rolled back to " + target.routeVersion() + walked + ": " + verdict.describe(),
        verdict);
  }

  /**
   * A scope a gate paused because its rollback target was failing: once the target (walked past
   * expired versions) is healthy again, the rollback the gate wanted is made, saying so. Until
   * then nothing changes (and nothing is logged per tick: the pause is the one record).
   */
  private GateDecision resumePausedRollback(RouteSnapshot snapshot, ScopeKey scope, RouteVersion route,
      ScopeControl control, ClusterSignals signals, long nowMs) {
    Instant now = Instant.ofEpochMilli(nowMs);
    RollbackChain.Outcome landing = RollbackChain.follow(snapshot.map(), route.rollbackRouteVersion(), now);
    RouteVersion target = landing.effective();
    if (route.isBaseline() || target == null || target.isExpired(now) || !knownHealthy(scope, target, signals, nowMs)) {
      return null;
    }
    String gate = control.heldBy().substring("gate:".length());
    Verdict healthy = new Verdict(rules.stream().filter(r -> r.name().equals(gate)).findFirst()
        .orElse(rules.get(0)), scope, route.routeVersion(), control.epoch(), Verdict.State.PASS, 0, 0, nowMs, false,
        "rollback target " + target.routeVersion() + " healthy again");
    return new GateDecision(scope, route.routeVersion(), snapshot.pointers().revision(), GateDecision.Kind.ROLLBACK,
        null, target.routeVersion(), "pause ended: rollback target " + target.routeVersion()
        + " is healthy again; rolled back to " + target.routeVersion() + " (paused because: "
        + control.pausedReason() + ")", healthy);
  }

  /**
   * Whether the target is known to be healthy again: its provider's breaker is closed everywhere
   * and, in this scope, every health gate passes over at least its minimum samples. Silence, or a
   * partial view, is not health: a member that cannot judge every health gate keeps the pause.
   */
  private boolean knownHealthy(ScopeKey scope, RouteVersion target, ClusterSignals signals, long nowMs) {
    String provider = target.mode() == io.turnout.routes.RouteMode.FALLBACK_ONLY ? target.fallbackProvider()
        : target.primaryProvider();
    if (provider == null || signals.breakerOpenAnywhere(provider)) {
      return false;
    }
    boolean judged = false;
    for (GateRule rule : rules) {
      if (rule.dryRun() || !rule.signal().isHealth() || !rule.covers(scope)) {
        continue;
      }
      Verdict verdict = judge(rule, scope, target.routeVersion(), -1, signals.sum(key -> key.scope().equals(scope)
          && key.provider().equals(provider), nowMs, rule.windowMs()), nowMs);
      if (verdict.state() != Verdict.State.PASS) {
        // A breach, or too few samples to say: not known healthy (a partial view must not end it).
        return false;
      }
      judged = true;
    }
    return judged && sickness(scope, target, signals, nowMs) == null;
  }

  private static GateDecision pause(ScopeKey scope, RouteVersion route, ScopeControl control, long revision,
      String by, String reason, Verdict verdict) {
    return new GateDecision(scope, route.routeVersion(), revision, GateDecision.Kind.PAUSE,
        control.keepOverride(new ScopeControl(control.epoch(), control.canaryShare(), true, reason, by)), null,
        "paused: " + reason + " (" + verdict.describe() + ")", verdict);
  }

  private static String breach(GateRule rule, ScopeKey scope, RouteVersion target, String provider,
      SignalCounts counts, long nowMs, String where) {
    Verdict verdict = judge(rule, scope, target.routeVersion(), -1, counts, nowMs);
    if (verdict.state() != Verdict.State.BREACH) {
      return null;
    }
    return "provider " + provider + " " + rule.signal().wireName() + where + " " + Verdict.format(verdict.value())
        + " > " + Verdict.format(rule.above()) + " (" + verdict.samples() + " samples, gate " + rule.name() + ")";
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
    if (signals.breakerOpenAnywhere(provider)) {
      return "provider " + provider + "'s circuit breaker is open";
    }
    for (GateRule rule : rules) {
      if (rule.dryRun() || !rule.signal().isHealth() || !rule.covers(scope)) {
        continue;
      }
      // This scope first, then the provider's attempts in every scope: a target that fails
      // elsewhere is no safer here.
      String here = breach(rule, scope, target, provider, signals.sum(key -> key.scope().equals(scope)
          && key.provider().equals(provider), nowMs, rule.windowMs()), nowMs, "");
      String anywhere = here != null ? here : breach(rule, scope, target, provider,
          signals.sum(key -> key.provider().equals(provider), nowMs, rule.windowMs()), nowMs, " across all scopes");
      if (anywhere != null) {
        return anywhere;
      }
    }
    return null;
  }
}
