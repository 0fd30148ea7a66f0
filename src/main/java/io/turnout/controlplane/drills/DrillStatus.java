package io.turnout.controlplane.drills;

/** Where a drill stands between approvals. */
public enum DrillStatus {
  /** The last step passed; the next one waits for an operator's approval. */
  AWAITING_APPROVAL("awaiting_approval"),
  /** A step is running on some member (the drill is claimed). */
  RUNNING("running"),
  /** The last step did not pass; approving again retries it. */
  BLOCKED("blocked"),
  COMPLETE("complete"),
  ABORTED("aborted");

  private final String wireName;

  DrillStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  static DrillStatus fromWireName(String name) {
    for (DrillStatus status : values()) {
      if (status.wireName.equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown drill status '" + name + "'");
  }
}
