package io.turnout.controlplane.gates;

import io.turnout.routes.ScopeKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The gates' memory across evaluations, for rules whose breach must be sustained: per rule,
 * scope, version and epoch, since when and for how many evaluations in a row the verdict has
 * breached (or stayed inconclusive). Time comes in with every call, so tests step it.
 * Touched by one evaluator on one thread.
 */
final class Sustain {

  /** What the history says about one verdict. */
  record Standing(long breachingSinceMs, int breachesInARow, long inconclusiveSinceMs, boolean actionable,
      String why) {

    static final Standing AT_ONCE = new Standing(-1, 0, -1, true, null);
  }

  private record Key(String rule, ScopeKey scope, String version, long epoch) {}

  private static final class History {
    long breachingSince = -1;
    int inARow;
    long inconclusiveSince = -1;
  }

  private final Map<Key, History> histories = new HashMap<>();
  private final Set<Key> seen = new HashSet<>();

  /** Starts an evaluation: histories not touched by it are dropped at {@link #endEvaluation()}. */
  void beginEvaluation() {
    seen.clear();
  }

  /** Forgets the histories of verdicts the last evaluation no longer produced (a version or epoch moved on). */
  void endEvaluation() {
    histories.keySet().retainAll(seen);
  }

  /**
   * Records {@code state} for the rule on the scope's version and epoch at {@code nowMs} and says
   * whether the gate may act on it: a breach once held for {@code for_ms} over {@code consecutive}
   * evaluations; an inconclusive verdict once it lasted {@code inconclusive_limit_ms}.
   */
  Standing record(GateRule rule, ScopeKey scope, String version, long epoch, Verdict.State state, long nowMs) {
    if (!rule.sustained()) {
      return state == Verdict.State.BREACH ? Standing.AT_ONCE : new Standing(-1, 0, -1, false, null);
    }
    Key key = new Key(rule.name(), scope, version, epoch);
    seen.add(key);
    History h = histories.computeIfAbsent(key, k -> new History());
    if (state == Verdict.State.BREACH) {
      if (h.breachingSince < 0) {
        h.breachingSince = nowMs;
      }
      h.inARow++;
      h.inconclusiveSince = -1;
      long held = nowMs - h.breachingSince;
      boolean actionable = held >= rule.forMs() && h.inARow >= rule.consecutive();
      String why = actionable ? null : "breach held " + held + " of " + rule.forMs() + " ms, " + h.inARow + " of "
          + rule.consecutive() + " evaluations in a row";
      return new Standing(h.breachingSince, h.inARow, -1, actionable, why);
    }
    h.breachingSince = -1;
    h.inARow = 0;
    if (state == Verdict.State.INCONCLUSIVE && rule.inconclusiveLimitMs() > 0) {
      if (h.inconclusiveSince < 0) {
        h.inconclusiveSince = nowMs;
      }
      long lasted = nowMs - h.inconclusiveSince;
      boolean failed = lasted >= rule.inconclusiveLimitMs();
      return new Standing(-1, 0, h.inconclusiveSince, failed, failed ? "inconclusive for " + lasted
          + " ms, past the limit of " + rule.inconclusiveLimitMs() + " ms: counted as a failure" : null);
    }
    h.inconclusiveSince = -1;
    return new Standing(-1, 0, -1, false, null);
  }

  @Override
  public String toString() {
    return "Sustain" + Objects.toString(histories.keySet());
  }
}
