package io.turnout.controlplane.gates;

import io.turnout.config.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.turnout.dataplane.signals.PriceTable;

/**
 * The {@code gates} section of turnout.yaml: how often gates are evaluated, the bucket width of
 * the sliding windows, the rules (the runbook's table unless told otherwise) and the price table.
 *
 * @param enabled whether gates are evaluated at all
 * @param tickMs how often every member evaluates (and shares its counts)
 * @param bucketMs the width of a window bucket; every rule's window must be at least one bucket
 * @param rules in evaluation order
 * @param prices the price table behind {@code cost_usd}
 */
public record GateOptions(boolean enabled, long tickMs, long bucketMs, List<GateRule> rules, PriceTable prices) {

  public GateOptions {
    rules = List.copyOf(rules);
  }

  /** The runbook's example thresholds (section 4), shipped as defaults. */
  public static List<GateRule> runbookDefaults() {
    return List.of(
        rule("fallback_5xx", GateSignal.UPSTREAM_5XX_RATE, 0.02, 300_000, 20, GateAction.STOP_EXPANSION),
        rule("fallback_timeouts", GateSignal.TIMEOUT_RATE, 0.01, 300_000, 20, GateAction.REDUCE),
        rule("fallback_malformed", GateSignal.MALFORMED_RESPONSES, 0, 300_000, 1, GateAction.ROLLBACK),
        rule("fallback_auth", GateSignal.AUTH_FAILURES, 0, 300_000, 1, GateAction.ROLLBACK),
        rule("fallback_usage_budget", GateSignal.TOKENS, 2_000_000, 3_600_000, 1, GateAction.STOP),
        rule("fallback_acceptance", GateSignal.ACCEPTANCE_FAILURE_RATE, 0.01, 300_000, 20, GateAction.STOP_EXPANSION),
        // Runbook decision table: unknown billing behaviour keeps traffic at test level only.
        rule("fallback_usage_unknown", GateSignal.USAGE_UNREPORTED_RATE, 0, 3_600_000, 1, GateAction.TEST_SHARE));
  }

  /** Defaults only: the runbook's rules, a 1 s tick and 10 s buckets. */
  public static GateOptions defaults() {
    return new GateOptions(true, 1_000, 10_000, runbookDefaults(), PriceTable.NONE);
  }

  /** Reads {@code gates}; every field optional. */
  public static GateOptions fromConfig(ConfigNode node, Set<String> providers) {
    boolean enabled = node.bool("enabled", true);
    long tick = node.longValue("tick_ms", 1_000, 50, 600_000);
    long bucket = node.longValue("bucket_ms", 10_000, 50, 3_600_000);
    boolean runbook = node.bool("runbook_defaults", true);
    Map<String, GateRule> rules = new LinkedHashMap<>();
    if (runbook) {
      runbookDefaults().forEach(r -> rules.put(r.name(), r));
    }
    List<ConfigNode> list = node.list("rules");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ConfigNode entry : list) {
      GateRule rule = GateRule.fromConfig(entry, providers);
      if (!seen.add(rule.name())) {
        throw entry.error("name", "duplicate gate name '" + rule.name() + "'");
      }
      if (rule.windowMs() < bucket) {
        throw entry.error("window_ms", "must be at least gates.bucket_ms (" + bucket + ")");
      }
      // A rule named like a runbook default replaces it (e.g. to tune a threshold or make it a dry run).
      rules.put(rule.name(), rule);
    }
    PriceTable prices = PriceTable.fromConfig(node.child("prices"), providers);
    node.finish();
    for (GateRule rule : rules.values()) {
      if (rule.windowMs() < bucket) {
        throw node.error("bucket_ms", "must not exceed the window of gate '" + rule.name() + "' ("
            + rule.windowMs() + " ms)");
      }
    }
    return new GateOptions(enabled, tick, bucket, new ArrayList<>(rules.values()), prices);
  }

  /** The longest window of any rule: how long buckets are kept. */
  public long horizonMs() {
    long longest = bucketMs;
    for (GateRule rule : rules) {
      longest = Math.max(longest, rule.windowMs());
    }
    return longest;
  }

  private static GateRule rule(String name, GateSignal signal, double above, long windowMs, long minSamples,
      GateAction action) {
    return new GateRule(name, signal, "fallback", null, above, windowMs, minSamples, action, 0.5, 0.01, false,
        List.of());
  }
}
