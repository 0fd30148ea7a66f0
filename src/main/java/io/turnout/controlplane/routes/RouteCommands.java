package io.turnout.controlplane.routes;

import io.turnout.controlplane.CommandRefusal;

/**
 * The event-bus contract of the route control plane: commands go to {@link #ADDRESS}
 * (request/reply, this node) as the JSON of a {@link RouteCommand} ({@link RouteCommand#toJson()}),
 * one per {@code action}:
 *
 * <ul>
 *   <li>{@code activate}: {@code {tenant_or_cohort, model_alias, route_version, reason, operator?,
 *       environment?, expected_revision?, force?}}: moves a scope to a version; a recovery (along
 *       the rollback chain, to the alias's rollback_target, to a baseline) never needs force
 *   <li>{@code rollback}: {@code {tenant_or_cohort, model_alias, reason, operator?, environment?,
 *       expected_revision?}}: to the active version's rollback version, or to the alias's
 *       rollback_target on a scope without a pointer
 *   <li>{@code resume}: {@code {..scope, reason, canary_share?}}: lifts a gate's freeze or pause
 *   <li>{@code auto_fallback}: {@code {..scope, reason, enabled}}: automatic fallback without a
 *       drill on record, allowed or withdrawn
 *   <li>{@code gate}: a gate's change (a gate decision): {@code {..scope,
 *       gate, decision, route_version, expected_revision, reason, verdict, control | rollback_to}}
 *   <li>{@code status}: revision, pointers, route map, {@code last_rejection},
 *       {@code rejected_edits}, members
 *   <li>{@code audit}: {@code {limit?}} (1-1000, default 100): the newest audit entries
 * </ul>
 *
 * <p>A changing command answers with its audit entry. A refused command fails the message with
 * a {@link CommandRefusal} (400 naming the field, 409 {@code stale_revision}, 413 when the route
 * state would outgrow the cluster map, 500 when the change applied but the audit log could not be
 * written), read back with {@link CommandRefusal#fromReply}.
 */
public final class RouteCommands {

  /** Where route commands are sent (request/reply). */
  public static final String ADDRESS = "turnout.control.routes";

  private RouteCommands() {}
}
