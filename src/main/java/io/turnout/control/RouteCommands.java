package io.turnout.control;

/**
 * The event-bus contract of the route control plane: operators' commands go to {@link #ADDRESS}
 * as JSON {@code {action, operator, reason, environment, tenant_or_cohort, model_alias,
 * route_version?, expected_revision?}} with action {@code activate}, {@code rollback},
 * {@code status} or {@code audit} ({@code limit}). A refused command fails the message with
 * 400 (invalid), 409 (stale revision) or 500 (the audit log could not be written, nothing
 * changed), and the reason as its message.
 */
public final class RouteCommands {

  /** Where route commands are sent (request/reply). */
  public static final String ADDRESS = "turnout.control.routes";

  private RouteCommands() {}
}
