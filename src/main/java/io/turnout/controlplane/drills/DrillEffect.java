package io.turnout.controlplane.drills;

import io.turnout.routes.ScopeKey;
import java.util.List;
import java.util.Set;

/**
 * What the {@link DrillMachine} asks its shell to do: data, executed by {@link DrillEffects} in
 * order. Step effects ({@link RunProbes}, {@link MoveScope}, {@link CheckDrain}, {@link CheckClean},
 * {@link SumPhase}) produce a {@link StepResult}; the others follow a stored change.
 */
public sealed interface DrillEffect {

  /** Runs the preflight probes of {@code versions} from this member. */
  record RunProbes(List<String> versions, String operator) implements DrillEffect {}

  /**
   * Moves {@code scope} to {@code version} through the route control plane; {@code force} for a
   * return, which must always be possible. Skipped when a check before it in the same step failed.
   */
  record MoveScope(ScopeKey scope, String version, String operator, String reason, boolean force, DrillStep step,
      String drillId) implements DrillEffect {}

  /** What the drain and clean checks judge. */
  record CheckSpec(Set<ScopeKey> scopes, Set<String> fallbackVersions, String previousVersion, long rolledBackMs,
      long settledFromMs, boolean cancelInFlight) {}

  /** The drain checks (step 6); cancels attempts in flight on the fallback versions first if asked. */
  record CheckDrain(CheckSpec spec) implements DrillEffect {}

  /** The clean-rollback checks before re-enabling. */
  record CheckClean(CheckSpec spec, double baselineErrorRate, double tolerance, long minSamples)
      implements DrillEffect {}

  /** Sums the cluster's signals of {@code scopes} over the phase that ends. */
  record SumPhase(DrillStep step, Set<ScopeKey> scopes, long fromMs, long toMs) implements DrillEffect {}

  /** Publishes the drill's change on {@link DrillCommands#EVENTS}. */
  record Publish(Drill drill, String detail) implements DrillEffect {}

  /** Writes this member's copy of the report. */
  record WriteReport(Drill drill) implements DrillEffect {}

  /** A drill ended: recompute which versions may fail over automatically. */
  record RefreshAutoFallback() implements DrillEffect {}
}
