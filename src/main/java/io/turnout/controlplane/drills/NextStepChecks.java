package io.turnout.controlplane.drills;

import java.util.List;

/**
 * The drill's {@code next_step_checks}: in words, what the next approval will do and what must
 * pass, so an operator (or the CLI and console) can say what they approve.
 */
final class NextStepChecks {

  private NextStepChecks() {}

  static List<String> of(Drill drill) {
    DrillStep next = drill.nextStep();
    if (next == null) {
      return List.of();
    }
    DrillScope main = drill.scope();
    DrillScope internal = drill.internal();
    return switch (next) {
      case PROBES -> List.of("runs the preflight probes of " + drill.probeVersions() + " from the member that takes "
          + "the approval", "passes when every run passed");
      case INTERNAL -> internal == null
          ? List.of("nothing to move: the drill names no internal cohort version (the step is skipped)")
          : List.of("moves " + internal.scope() + " from " + internal.previous() + " to " + internal.version()
              + " through the route control plane", "passes when the move is applied");
      case CANARY -> List.of("moves " + main.scope() + " from " + main.previous() + " to " + main.version()
          + " (its configured share) through the route control plane", "passes when the move is applied");
      case ROLLBACK -> internal == null
          ? List.of("returns " + main.scope() + " to " + main.previous() + " (forced: a return is never refused) and "
              + "records the rollback decision with this approval's reason", "passes when the move is applied")
          : List.of("returns " + main.scope() + " to " + main.previous() + " and " + internal.scope() + " to "
              + internal.previous() + " (forced: a return is never refused) and records the rollback decision with "
              + "this approval's reason", "passes when both moves are applied");
      case DRAIN_CHECK -> drain(drill);
      case REENABLE -> {
        List<String> checks = new java.util.ArrayList<>(drain(drill));
        checks.add("new requests on " + main.previous() + " since the rollback settled");
        checks.add("the scopes' error rate since the rollback settled at most the baseline ("
            + drill.baseline().errorRate() + ") + drills.error_rate_tolerance, over at least drills.min_samples "
            + "attempts");
        checks.add("then moves " + main.scope() + " to " + main.version() + " again; the drill is complete");
        yield checks;
      }
      default -> List.of();
    };
  }

  private static List<String> drain(Drill drill) {
    return List.of("no attempt in flight on " + drill.fallbackVersions() + " on any member: attempts that started "
        + "before the rollback are waited for (approve with cancel_in_flight: true to cancel them)",
        "no attempt started on " + drill.fallbackVersions() + " (retries and fallbacks included) since the rollback "
            + "settled (the rollback plus drills.drain_grace_ms, rounded up to a whole gate bucket)",
        "no member keeps connection pools for a provider that no version in force uses");
  }
}
