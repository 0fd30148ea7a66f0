package io.turnout.controlplane.gates;

/**
 * What a gate does when it breaches (runbook section 4's action column).
 */
public enum GateAction {
  /** Freezes the canary share: the scope may not move forward until an operator resumes it. */
  STOP_EXPANSION("stop_expansion", 1),
  /**
   * Keeps traffic at test level (runbook: "unknown rate-limit or billing behavior: keep traffic at
   * test level only"): caps the canary share at the rule's {@code reduce_floor} and freezes the
   * scope; without a canary share, rolls back.
   */
  TEST_SHARE("test_share", 2),
  /** Cuts the canary share by the rule's factor, down to its floor; at the floor (or without a canary), rolls back. */
  REDUCE("reduce", 3),
  /** Stops the test: canary share 0 and frozen; without a canary, rolls back. */
  STOP("stop", 4),
  /** Moves the scope to its rollback version, or pauses it when that version is itself failing. */
  ROLLBACK("rollback", 5);

  private final String wireName;
  private final int severity;

  GateAction(String wireName, int severity) {
    this.wireName = wireName;
    this.severity = severity;
  }

  public String wireName() {
    return wireName;
  }

  /** Higher wins when several gates of one scope breach in the same tick. */
  int severity() {
    return severity;
  }

  /** Parses a wire name; null when unknown. */
  public static GateAction fromWireName(String name) {
    for (GateAction a : values()) {
      if (a.wireName.equals(name)) {
        return a;
      }
    }
    return null;
  }
}
