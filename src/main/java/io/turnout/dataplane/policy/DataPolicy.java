package io.turnout.dataplane.policy;

import io.turnout.config.ConfigNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data_policy} section of {@code turnout.yaml}: each cohort's data class and
 * constraints. Without the section the policy is {@link #OFF} and nothing is checked; with it,
 * {@code cohorts."*"} is required so that every cohort has a policy.
 *
 * @param cohorts cohort name ({@code *} included) to its policy, in file order
 */
public record DataPolicy(Map<String, CohortPolicy> cohorts) {

  /** No data policy configured: routing is not restricted. */
  public static final DataPolicy OFF = new DataPolicy(Map.of());
  /** The cohort key every cohort without its own entry falls back to. */
  public static final String ANY_COHORT = "*";

  public DataPolicy {
    cohorts = Collections.unmodifiableMap(new LinkedHashMap<>(cohorts));
  }

  /** Whether a policy is configured. */
  public boolean enabled() {
    return !cohorts.isEmpty();
  }

  /** The cohort's own policy, else the {@code *} policy; null only when the policy is off. */
  public CohortPolicy forCohort(String cohort) {
    CohortPolicy own = cohort == null ? null : cohorts.get(cohort);
    return own != null ? own : cohorts.get(ANY_COHORT);
  }

  /** Reads {@code data_policy} (an absent section gives {@link #OFF}). */
  public static DataPolicy fromConfig(ConfigNode root) {
    if (!root.has("data_policy")) {
      root.raw("data_policy");
      return OFF;
    }
    ConfigNode node = root.child("data_policy");
    Map<String, ConfigNode> entries = node.children("cohorts");
    node.finish();
    if (!entries.containsKey(ANY_COHORT)) {
      throw node.error("cohorts", "must have a \"*\" entry: the policy of every cohort without its own");
    }
    Map<String, CohortPolicy> cohorts = new LinkedHashMap<>();
    entries.forEach((name, entry) -> cohorts.put(name, CohortPolicy.fromConfig(name, entry)));
    return new DataPolicy(cohorts);
  }
}
