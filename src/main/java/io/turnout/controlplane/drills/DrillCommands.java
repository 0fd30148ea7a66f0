package io.turnout.controlplane.drills;

/**
 * The event-bus contract of drills. {@link #ADDRESS} (request/reply, a local consumer on every
 * node) takes:
 *
 * <ul>
 *   <li>{@code {action: "start", operator, reason, model_alias, canary_version, tenant_or_cohort?,
 *       environment?, internal_version?, internal_cohort?}}: the new drill;
 *   <li>{@code {action: "advance", id, operator, reason, expected_step, cancel_in_flight?}}: approves
 *       {@code expected_step}, which must be the drill's {@code next_step};
 *   <li>{@code {action: "abort", id, operator, reason}};
 *   <li>{@code {action: "get", id}}, {@code {action: "list"}} ({@code {drills: [...]}}),
 *       {@code {action: "report", id}} ({@code {html}}), {@code {action: "auto_fallback"}}.
 * </ul>
 *
 * It answers the drill's JSON ({@link Drill#toJson()} with {@code evidence}). Refusals are
 * {@link io.turnout.controlplane.CommandRefusal}s: 400 {@code invalid_request} with the field, 404
 * {@code not_found}, 409 {@code step_mismatch}, {@code drill_claimed} (the message names
 * {@code claimed_by} and {@code claim_expires_at}), {@code drill_ended}, {@code drill_changed},
 * {@code scope_in_drill}, {@code drill_id_taken}. A refusal changes nothing and never takes a
 * claim.
 *
 * <p>Every change of a drill is published on {@link #EVENTS}: {@code {type: "drill", node, time,
 * id, step, status, scope, next_step, detail}}.
 */
public final class DrillCommands {

  public static final String ADDRESS = "turnout.control.drills";
  public static final String EVENTS = "turnout.drill.events";

  private DrillCommands() {}
}
