package io.turnout.controlplane.drills;

import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.drills.DrillCommand.Abort;
import io.turnout.controlplane.drills.DrillCommand.Approve;
import io.turnout.controlplane.drills.DrillCommand.GateAbort;
import io.turnout.controlplane.drills.DrillCommand.StepFinished;
import io.turnout.controlplane.drills.DrillEffect.CheckClean;
import io.turnout.controlplane.drills.DrillEffect.CheckDrain;
import io.turnout.controlplane.drills.DrillEffect.CheckSpec;
import io.turnout.controlplane.drills.DrillEffect.MoveScope;
import io.turnout.controlplane.drills.DrillEffect.Publish;
import io.turnout.controlplane.drills.DrillEffect.RefreshAutoFallback;
import io.turnout.controlplane.drills.DrillEffect.RunProbes;
import io.turnout.controlplane.drills.DrillEffect.SumPhase;
import io.turnout.controlplane.drills.DrillEffect.WriteReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The drill state machine (runbook section 3): {@code (drill, command, now) -> Decision}. Pure: no
 * clock, no cluster, no I/O. A command is either refused ({@link CommandRefusal}, thrown before
 * anything changes) or claims the drill and names the step's effects; their {@link StepResult}
 * comes back as {@link StepFinished}, which yields the drill after the step and what to publish.
 */
public final class DrillMachine {

  private final DrillRules rules;

  public DrillMachine(DrillRules rules) {
    this.rules = rules;
  }

  /** Decides on {@code command}; throws {@link CommandRefusal} for a command that must change nothing. */
  public Decision decide(Drill drill, DrillCommand command, long nowMs) {
    if (command instanceof Approve approve) {
      return approve(drill, approve, nowMs);
    } else if (command instanceof Abort abort) {
      return claim(drill, abort.reason(), nowMs, abortEffects(drill, abort.operator(), abort.reason(), true, nowMs));
    } else if (command instanceof GateAbort gate) {
      return claim(drill, gate.reason(), nowMs, abortEffects(drill, gate.by(), gate.reason(), false, nowMs));
    }
    return finish(drill, (StepFinished) command, nowMs);
  }

  private Decision approve(Drill drill, Approve approve, long nowMs) {
    refuseIfEnded(drill);
    required(approve.reason(), "reason");
    String expected = required(approve.expectedStep(), "expected_step");
    refuseIfClaimed(drill, nowMs);
    DrillStep next = drill.nextStep();
    if (!next.wireName().equals(expected)) {
      throw CommandRefusal.conflict("step_mismatch", "this approval names step '" + expected + "', but the next "
          + "step of drill " + drill.id() + " is '" + next.wireName() + "' (it is at " + drill.step().wireName()
          + ", " + drill.status().wireName() + "): nothing changed");
    }
    return claim(drill, approve.reason(), nowMs, stepEffects(drill, next, approve, nowMs));
  }

  /** Takes the claim: the drill is {@code running} on this member while {@code effects} run. */
  private Decision claim(Drill drill, String reason, long nowMs, List<DrillEffect> effects) {
    refuseIfEnded(drill);
    required(reason, "reason");
    refuseIfClaimed(drill, nowMs);
    // A claim older than any step can last was left by a member that died in the middle of it.
    DrillStatus before = drill.status() == DrillStatus.RUNNING
        ? (drill.claim() == null ? DrillStatus.AWAITING_APPROVAL : drill.claim().from()) : drill.status();
    return new Decision(drill.with(c -> {
      c.status = DrillStatus.RUNNING;
      c.claim = new Claim(rules.nodeId(), nowMs, before);
      return c;
    }), effects);
  }

  private static void refuseIfEnded(Drill drill) {
    if (drill.finished()) {
      throw CommandRefusal.conflict("drill_ended", "drill " + drill.id() + " has ended (" + drill.step().wireName()
          + ")");
    }
  }

  private static void refuseIfClaimed(Drill drill, long nowMs) {
    Claim claim = drill.claim();
    if (drill.status() == DrillStatus.RUNNING && (claim == null || !claim.staleAt(nowMs))) {
      String by = claim == null || claim.by() == null ? "an unnamed member" : claim.by();
      String until = claim == null ? "unknown" : claim.expiresAt();
      throw CommandRefusal.conflict("drill_claimed", "a step of drill " + drill.id() + " is running: claimed_by "
          + by + ", claim_expires_at " + until + " (the claim is released when the step ends)");
    }
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw CommandRefusal.invalid(field, "'" + field + "' is required");
    }
    return value;
  }

  private List<DrillEffect> stepEffects(Drill drill, DrillStep target, Approve approve, long nowMs) {
    List<DrillEffect> effects = new ArrayList<>();
    String op = approve.operator();
    String prefix = "drill " + drill.id() + ": ";
    switch (target) {
      case PROBES -> effects.add(new RunProbes(drill.probeVersions(), op));
      case INTERNAL -> {
        if (drill.internal() != null) {
          effects.add(new MoveScope(drill.internal().scope(), drill.internal().version(), op,
              prefix + "internal cohort", false, target, drill.id()));
        }
      }
      case CANARY -> effects.add(new MoveScope(drill.scope().scope(), drill.scope().version(), op, prefix + "canary",
          false, target, drill.id()));
      case ROLLBACK -> effects.addAll(returns(drill, op, prefix + "rollback: " + approve.reason(), target));
      case DRAIN_CHECK -> effects.add(new CheckDrain(spec(drill, approve.cancelInFlight(), nowMs)));
      case REENABLE -> {
        effects.add(new CheckClean(spec(drill, approve.cancelInFlight(), nowMs), drill.baseline().errorRate(),
            rules.errorRateTolerance(), rules.minSamples()));
        effects.add(new MoveScope(drill.scope().scope(), drill.scope().version(), op,
            prefix + "re-enabled after a clean rollback", false, target, drill.id()));
      }
      default -> throw CommandRefusal.conflict("drill_ended", "nothing to approve after " + drill.step().wireName());
    }
    effects.add(new SumPhase(drill.step(), drill.scopes(), drill.phaseStartedMs(), nowMs));
    return effects;
  }

  private static List<DrillEffect> returns(Drill drill, String operator, String reason, DrillStep step) {
    List<DrillEffect> moves = new ArrayList<>();
    moves.add(new MoveScope(drill.scope().scope(), drill.scope().previous(), operator, reason, true, step,
        drill.id()));
    if (drill.internal() != null) {
      moves.add(new MoveScope(drill.internal().scope(), drill.internal().previous(), operator,
          reason.replaceFirst(": rollback: ", ": rollback of the internal cohort: "), true, step, drill.id()));
    }
    return moves;
  }

  private List<DrillEffect> abortEffects(Drill drill, String by, String reason, boolean returnTraffic, long nowMs) {
    List<DrillEffect> effects = new ArrayList<>();
    if (returnTraffic && drill.step().exposed()) {
      effects.addAll(returns(drill, by, "drill " + drill.id() + ": rollback: aborted: " + reason, DrillStep.ABORTED));
    }
    effects.add(new SumPhase(drill.step(), drill.scopes(), drill.phaseStartedMs(), nowMs));
    return effects;
  }

  private CheckSpec spec(Drill drill, boolean cancelInFlight, long nowMs) {
    long rolledBack = drill.rollback() == null ? nowMs : drill.rollback().atMs();
    return new CheckSpec(drill.scopes(), drill.fallbackVersions(), drill.scope().previous(), rolledBack,
        rules.settledFromMs(rolledBack), cancelInFlight);
  }

  // --- after the step's effects ---

  private Decision finish(Drill claimed, StepFinished finished, long nowMs) {
    if (claimed.status() != DrillStatus.RUNNING || claimed.claim() == null) {
      throw new IllegalStateException("drill " + claimed.id() + " is not claimed");
    }
    long stepAt = claimed.claim().sinceMs();
    StepResult result = finished.result();
    DrillCommand cause = finished.cause();
    Drill next;
    if (cause instanceof Approve approve) {
      next = approved(claimed, approve, result, stepAt);
    } else if (cause instanceof Abort abort) {
      next = aborted(claimed, abort.operator(), abort.reason(), true, result, stepAt);
    } else if (cause instanceof GateAbort gate) {
      next = aborted(claimed, gate.by(), gate.reason(), false, result, stepAt);
    } else {
      throw new IllegalArgumentException("a step cannot finish a step");
    }
    Approval last = next.approvals().get(next.approvals().size() - 1);
    List<DrillEffect> effects = new ArrayList<>();
    effects.add(new Publish(next, next.finished() || last.passed() ? next.status().wireName() : "blocked: "
        + last.detail()));
    effects.add(new WriteReport(next));
    if (next.finished()) {
      effects.add(new RefreshAutoFallback());
    }
    return new Decision(next, effects);
  }

  private Drill approved(Drill claimed, Approve approve, StepResult result, long stepAt) {
    DrillStep target = claimed.nextStep();
    Outcome outcome = outcome(claimed, target, result);
    return claimed.with(c -> {
      closePhase(c, claimed.step(), result, stepAt);
      c.routeChanges.addAll(changes(result));
      if (result.probeRuns() != null) {
        c.probeRuns = result.probeRuns();
      }
      if (result.drainChecks() != null) {
        c.drainChecks = result.drainChecks();
      }
      if (result.cleanChecks() != null) {
        c.cleanChecks = result.cleanChecks();
      }
      if (target == DrillStep.ROLLBACK) {
        c.rollback = new RollbackDecision("return to " + claimed.scope().previous(), approve.reason(),
            approve.operator(), stepAt);
      }
      c.approvals.add(new Approval(target, approve.operator(), approve.reason(), stepAt, outcome.passed,
          outcome.detail));
      c.step = target == DrillStep.REENABLE && outcome.passed ? DrillStep.COMPLETE : target;
      c.status = !outcome.passed ? DrillStatus.BLOCKED
          : target == DrillStep.REENABLE ? DrillStatus.COMPLETE : DrillStatus.AWAITING_APPROVAL;
      c.blockedReason = outcome.passed ? null : outcome.detail;
      c.claim = null;
      return c;
    });
  }

  private record Outcome(boolean passed, String detail) {}

  private static Outcome outcome(Drill drill, DrillStep target, StepResult result) {
    return switch (target) {
      case PROBES -> probes(drill, result.probeRuns());
      case INTERNAL -> drill.internal() == null
          ? new Outcome(true, "skipped: the drill names no internal cohort version")
          : new Outcome(result.movesPassed(), result.movesDetail());
      case CANARY, ROLLBACK -> new Outcome(result.movesPassed(), result.movesDetail());
      case DRAIN_CHECK -> new Outcome(RollbackChecks.allPassed(result.drainChecks()),
          RollbackChecks.describe(result.drainChecks()));
      case REENABLE -> RollbackChecks.allPassed(result.cleanChecks()) && !result.moves().isEmpty()
          ? new Outcome(result.movesPassed(), result.movesDetail())
          : new Outcome(false, "rollback not clean, not re-enabled: " + RollbackChecks.describe(result.cleanChecks()));
      default -> throw new IllegalArgumentException("no step " + target);
    };
  }

  /** The probes step: passed when every run passed; otherwise it names the versions, probes and classes. */
  private static Outcome probes(Drill drill, List<ProbeRun> runs) {
    List<String> failed = new ArrayList<>();
    for (ProbeRun run : runs) {
      if (!run.passed()) {
        failed.add(run.describeFailure());
      }
    }
    return failed.isEmpty() ? new Outcome(true, "probes passed for " + drill.probeVersions())
        : new Outcome(false, "probes failed for " + runs.stream().filter(r -> !r.passed())
            .map(ProbeRun::routeVersion).toList() + ": " + String.join("; ", failed));
  }

  private Drill aborted(Drill claimed, String by, String reason, boolean returnTraffic, StepResult result,
      long stepAt) {
    DrillStep during = claimed.step();
    boolean returned = returnTraffic && during.exposed();
    String traffic = returned ? result.movesDetail() : returnTraffic ? "no traffic on the fallback route to return"
        : "traffic left as the gate set it";
    boolean passed = !returned || result.movesPassed();
    return claimed.with(c -> {
      closePhase(c, during, result, stepAt);
      c.routeChanges.addAll(changes(result));
      c.abort = new AbortRecord(by, reason, stepAt, during, traffic);
      if (c.rollback == null) {
        c.rollback = new RollbackDecision("abort", reason, by, stepAt);
      }
      c.approvals.add(new Approval(DrillStep.ABORTED, by, reason, stepAt, passed, traffic));
      c.step = DrillStep.ABORTED;
      c.status = DrillStatus.ABORTED;
      c.blockedReason = null;
      c.claim = null;
      return c;
    });
  }

  private static void closePhase(Drill.Change c, DrillStep step, StepResult result, long atMs) {
    c.phases.add(new Phase(step, c.phaseStartedMs, atMs, result.phaseCounts()));
    c.phaseStartedMs = atMs;
  }

  private static List<RouteChange> changes(StepResult result) {
    return result.moves().stream().map(StepResult.MoveOutcome::change).filter(java.util.Objects::nonNull).toList();
  }
}
