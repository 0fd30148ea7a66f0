package io.turnout.controlplane.gates;

/**
 * The event-bus contract of the rollback gates.
 *
 * <ul>
 *   <li>{@link #ADDRESS} (request/reply, this node): {@code {action: "status"}} answers
 *       {@code {node, enabled, tick_ms, bucket_ms, members_reporting, rules, verdicts, actions}}
 *   <li>{@link #VERDICTS} (published): a member's verdict on a scope changed state:
 *       {@code {type: "verdict", node, time, verdict}}
 *   <li>Changes a gate made are published once, by the member that made them, on
 *       {@link io.turnout.routes.RouteEvents#ADDRESS} as {@code {type: "gate_action", ...}}
 * </ul>
 */
public final class GateCommands {

  /** Where gate status is asked for. */
  public static final String ADDRESS = "turnout.control.gates";
  /** Where verdict changes are published. */
  public static final String VERDICTS = "turnout.gate.verdicts";

  private GateCommands() {}
}
