package io.turnout.cli;

/**
 * Ends a command with an exit status from {@link Exit} and a one-line message for stderr. Thrown
 * anywhere below a command; {@link Cli} prints it and returns the status.
 */
public final class CliFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The process exit status, one of {@link Exit}. */
  public int exitCode() {
    return exitCode;
  }
}
