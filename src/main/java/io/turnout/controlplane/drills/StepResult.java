package io.turnout.controlplane.drills;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a step's effects found: the probe runs, the moves, the checks and the phase's signals. The
 * {@link DrillMachine} turns it into the step's outcome.
 *
 * @param probeRuns the runs, or null when the step ran none
 * @param moves each move's outcome, in order (skipped moves left out)
 * @param drainChecks the drain checks, or null
 * @param cleanChecks the clean-rollback checks, or null
 * @param phaseCounts the ended phase's counts ({@link Phase#counts()})
 */
public record StepResult(List<ProbeRun> probeRuns, List<MoveOutcome> moves, List<RollbackChecks.Check> drainChecks,
    List<RollbackChecks.Check> cleanChecks, JsonObject phaseCounts) {

  /** One move's outcome; {@code change} is the audit entry of an applied move (null when none was needed). */
  public record MoveOutcome(ScopeKey scope, String version, boolean passed, String detail, RouteChange change) {}

  public StepResult {
    moves = List.copyOf(moves);
  }

  /** A result that ran nothing but sums a phase. */
  static StepResult empty(JsonObject phaseCounts) {
    return new StepResult(null, List.of(), null, null, phaseCounts);
  }

  boolean movesPassed() {
    return moves.stream().allMatch(MoveOutcome::passed);
  }

  String movesDetail() {
    List<String> parts = new ArrayList<>();
    moves.forEach(m -> parts.add(m.detail()));
    return String.join("; ", parts);
  }
}
