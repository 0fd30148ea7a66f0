package io.turnout.controlplane.drills;

/**
 * The steps of a cutover drill (runbook section 3, "Prove rollback, not just forward cutover"),
 * in order. Each move to the next step needs an operator's approval; {@link #ABORTED} can be
 * reached from any step before {@link #COMPLETE}.
 */
public enum DrillStep {
  /** 0% of traffic on the fallback route; the pre-drill baseline is measured. */
  PREPARED("prepared"),
  /** Contract probes of every version the drill will use, from this node. */
  PROBES("probes"),
  /** The internal-only cohort moves to its fallback version. */
  INTERNAL("internal"),
  /** The scope moves to the canary version at its configured share. */
  CANARY("canary"),
  /** The canary is disabled: the scope (and the internal cohort) return to their previous versions. */
  ROLLBACK("rollback"),
  /** Nothing still uses the fallback route: no attempts in flight, no new attempts, no pools kept for it. */
  DRAIN_CHECK("drain_check"),
  /** The canary is enabled again: only after a clean rollback. The drill is then complete. */
  REENABLE("reenable"),
  COMPLETE("complete"),
  ABORTED("aborted");

  private final String wireName;

  DrillStep(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The step an approval moves to. */
  DrillStep next() {
    return switch (this) {
      case PREPARED -> PROBES;
      case PROBES -> INTERNAL;
      case INTERNAL -> CANARY;
      case CANARY -> ROLLBACK;
      case ROLLBACK -> DRAIN_CHECK;
      case DRAIN_CHECK -> REENABLE;
      case REENABLE, COMPLETE -> COMPLETE;
      case ABORTED -> ABORTED;
    };
  }

  /** Whether the drill has ended. */
  boolean finished() {
    return this == COMPLETE || this == ABORTED;
  }

  /** Whether traffic of the drill's scopes may be on the fallback route in this step. */
  boolean exposed() {
    return this == INTERNAL || this == CANARY || this == REENABLE;
  }

  static DrillStep fromWireName(String name) {
    for (DrillStep step : values()) {
      if (step.wireName.equals(name)) {
        return step;
      }
    }
    throw new IllegalArgumentException("unknown drill step '" + name + "'");
  }
}
