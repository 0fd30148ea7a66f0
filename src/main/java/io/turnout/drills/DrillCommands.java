package io.turnout.drills;

/**
 * The event-bus contract of drills: {@link #ADDRESS} (request/reply, on every node) takes
 * {@code {action: start|advance|abort|get|list|report, ...}} (see the admin API in README) and
 * answers the drill's JSON (or {@code {drills: [...]}}, or {@code {html}} for {@code report});
 * refusals fail with 400 (invalid), 404 (unknown drill) or 409 (a step is running, the drill has
 * ended, or another drill runs on the scope). Every change of a drill is published on
 * {@link #EVENTS}: {@code {type: "drill", node, time, id, step, status, detail}}.
 */
public final class DrillCommands {

  public static final String ADDRESS = "turnout.control.drills";
  public static final String EVENTS = "turnout.drill.events";

  private DrillCommands() {}
}
