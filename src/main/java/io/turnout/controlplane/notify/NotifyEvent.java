package io.turnout.controlplane.notify;

/** The events a webhook can be notified of, by their wire names in config and payloads. */
public enum NotifyEvent {
  /** A rollback gate changed a scope (rollback, freeze, reduce, stop, test share, pause). */
  GATE_ACTION("gate_action"),
  /** A drill step is done and the next one waits for an operator's approval. */
  DRILL_WAITING("drill_waiting"),
  /** A drill step's checks failed: the drill stays on that step. */
  DRILL_BLOCKED("drill_blocked"),
  DRILL_ABORTED("drill_aborted"),
  DRILL_COMPLETE("drill_complete"),
  /** An edit of the route map file was refused; the running map is unchanged. */
  ROUTE_EDIT_REFUSED("route_edit_refused"),
  /** A cluster member left or was lost (reported by the oldest surviving member). */
  MEMBER_LOST("member_lost"),
  /** A member's acknowledged route revision stayed behind the cluster's for too long. */
  MEMBER_LAGGING("member_lagging"),
  /** A probe run ended with at least one failed probe. */
  PROBE_FAILED("probe_failed");

  private final String wireName;

  NotifyEvent(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The event of a wire name; IllegalArgumentException for any other. */
  public static NotifyEvent fromWireName(String name) {
    for (NotifyEvent e : values()) {
      if (e.wireName.equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** Every wire name, for error messages. */
  public static String allowed() {
    StringBuilder names = new StringBuilder();
    for (NotifyEvent e : values()) {
      names.append(names.length() == 0 ? "" : ", ").append(e.wireName);
    }
    return names.toString();
  }
}
