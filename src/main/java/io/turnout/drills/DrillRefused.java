package io.turnout.drills;

/** A drill command refused, with the status the admin API answers. */
final class DrillRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;
  final int status;

  DrillRefused(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
