package io.turnout.controlplane.gates;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;

/**
 * One gate's verdict on one scope's active version in its current epoch, with the numbers behind
 * it.
 *
 * @param state {@code pass}, {@code breach}, or {@code inconclusive} (fewer samples than the
 *     rule's minimum: never counted as a pass)
 * @param value the signal's value over the window
 * @param samples the samples in the window
 * @param actionable whether the gate may act on it: a breach (sustained as long as the rule asks),
 *     or an inconclusive verdict past the rule's {@code inconclusive_limit_ms}
 * @param hold why a breach does not act yet, or why an inconclusive verdict counts as a failure; null otherwise
 */
public record Verdict(GateRule rule, ScopeKey scope, String routeVersion, long epoch, State state, double value,
    long samples, long atMs, boolean actionable, String hold) {

  /** A verdict the gate acts on at once when it is a breach. */
  public Verdict(GateRule rule, ScopeKey scope, String routeVersion, long epoch, State state, double value,
      long samples, long atMs) {
    this(rule, scope, routeVersion, epoch, state, value, samples, atMs, state == State.BREACH, null);
  }

  /** A verdict's outcome. */
  public enum State {
    PASS("pass"), BREACH("breach"), INCONCLUSIVE("inconclusive");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** {@code gate signal value > threshold over window (samples n)}: for logs, events and the audit log. */
  public String describe() {
    return rule.name() + ": " + rule.signal().wireName() + " of " + rule.role() + " attempts on " + routeVersion
        + " was " + format(value) + " (threshold " + format(rule.above()) + ", " + samples + " samples in "
        + rule.windowMs() + " ms)" + (hold == null ? "" : "; " + hold);
  }

  public JsonObject toJson() {
    return new JsonObject().put("gate", rule.name()).put("scope", scope.toJson()).put("route_version", routeVersion)
        .put("epoch", epoch).put("state", state.wireName()).put("signal", rule.signal().wireName())
        .put("role", rule.role()).put("value", value).put("threshold", rule.above()).put("samples", samples)
        .put("min_samples", rule.minSamples()).put("window_ms", rule.windowMs()).put("action", rule.action().wireName())
        .put("dry_run", rule.dryRun()).put("actionable", actionable).put("hold", hold)
        .put("at", java.time.Instant.ofEpochMilli(atMs).toString());
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.4f", value);
  }
}
