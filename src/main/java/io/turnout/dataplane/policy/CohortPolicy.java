package io.turnout.dataplane.policy;

import io.turnout.config.ConfigNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The data-handling constraints of one cohort ({@code data_policy.cohorts.<cohort>}).
 *
 * @param cohort the {@code tenant_or_cohort} value, or {@code *} for every cohort without its own entry
 * @param dataClass the cohort's data class, e.g. {@code regulated}; a provider must be approved for it
 * @param allowedRegions the regions a provider may process this cohort's data in
 * @param maxRetentionDays the longest vendor retention allowed
 * @param approvedVendors the vendors allowed; empty means any vendor
 */
public record CohortPolicy(String cohort, String dataClass, Set<String> allowedRegions, int maxRetentionDays,
    Set<String> approvedVendors) {

  public CohortPolicy {
    allowedRegions = Set.copyOf(allowedRegions);
    approvedVendors = Set.copyOf(approvedVendors);
  }

  /** Reads one {@code data_policy.cohorts.<cohort>} entry. */
  static CohortPolicy fromConfig(String cohort, ConfigNode node) {
    String dataClass = node.string("data_class");
    Set<String> regions = new LinkedHashSet<>(node.stringList("allowed_regions"));
    if (regions.isEmpty()) {
      throw node.error("allowed_regions", "must name at least one region");
    }
    int maxRetention = node.intValue("max_retention_days", 0, 36_500);
    Set<String> vendors = new LinkedHashSet<>(node.stringList("approved_vendors"));
    node.finish();
    return new CohortPolicy(cohort, dataClass, regions, maxRetention, vendors);
  }
}
