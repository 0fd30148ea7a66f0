package io.turnout.controlplane.drills;

/**
 * What can happen to a drill, as the {@link DrillMachine} takes it. Fields are as the operator
 * sent them (possibly null): the machine validates them, so a refusal never leaves a claim behind.
 */
public sealed interface DrillCommand {

  /**
   * An operator approves one step.
   *
   * @param expectedStep the step the operator approves; must be the drill's {@code next_step}
   * @param cancelInFlight for the drain check: cancel attempts still in flight on the versions left
   */
  record Approve(String expectedStep, String operator, String reason, boolean cancelInFlight) implements DrillCommand {}

  /** An operator ends the drill; traffic on the fallback route is returned. */
  record Abort(String operator, String reason) implements DrillCommand {}

  /** A gate acted on one of the drill's scopes: the drill ends, leaving traffic where the gate put it. */
  record GateAbort(String by, String reason) implements DrillCommand {}

  /** The effects of a claimed step ran: {@code cause} is the command that claimed it. */
  record StepFinished(DrillCommand cause, StepResult result) implements DrillCommand {}
}
