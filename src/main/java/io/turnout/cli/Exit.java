package io.turnout.cli;

/**
 * The CLI's exit statuses, so a script can tell a refusal from a failure from a blocked step.
 * README "Command-line interface" documents the same table.
 */
public final class Exit {

  /** Done. */
  public static final int OK = 0;
  /** The node could not be reached, answered 5xx or something unexpected happened. */
  public static final int FAILED = 1;
  /** A usage error: unknown option, missing argument, no admin token (picocli's own code for usage). */
  public static final int USAGE = 2;
  /** The node refused the command (400, 401, 403, 404, 409): nothing changed. */
  public static final int REFUSED = 3;
  /** The command ran but did not get through: a blocked drill step, a failed probe run, a declined approval. */
  public static final int BLOCKED = 4;
  /** {@code validate} found the configuration invalid. */
  public static final int INVALID_CONFIG = 5;

  private Exit() {}
}
