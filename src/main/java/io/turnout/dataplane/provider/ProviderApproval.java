package io.turnout.dataplane.provider;

import io.turnout.config.ConfigNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one provider is approved for, read from {@code providers.<name>.approval}: the data
 * classes it may receive, where it processes them, how long the vendor keeps prompts, whether it
 * logs them, and until when the approval holds. Only consulted when a data policy ({@code data_policy}) is
 * configured; then a provider without an approval is approved for nothing.
 *
 * @param dataClasses the cohort data classes this provider may serve, e.g. {@code regulated}
 * @param region where the vendor processes the data, e.g. {@code eu-west-1}
 * @param retentionDays how many days the vendor retains prompts and completions (0 = none)
 * @param vendor the approved vendor's name, e.g. {@code openai}
 * @param logsPrompts whether the vendor logs prompts
 * @param approvedUntil when the approval lapses, or null for no end date
 */
public record ProviderApproval(Set<String> dataClasses, String region, int retentionDays, String vendor,
    boolean logsPrompts, Instant approvedUntil) {

  public ProviderApproval {
    dataClasses = Set.copyOf(dataClasses);
  }

  /** Whether the approval has lapsed at {@code now} ({@code approved_until <= now}). */
  public boolean expired(Instant now) {
    return approvedUntil != null && !now.isBefore(approvedUntil);
  }

  /** Reads {@code providers.<name>.approval}, or null when the provider has none. */
  public static ProviderApproval fromConfig(ConfigNode provider) {
    if (!provider.has("approval")) {
      provider.raw("approval");
      return null;
    }
    ConfigNode node = provider.child("approval");
    Set<String> classes = new LinkedHashSet<>(node.stringList("data_classes"));
    if (classes.isEmpty()) {
      throw node.error("data_classes", "must name at least one data class");
    }
    String region = node.string("region");
    int retention = node.intValue("retention_days", 0, 36_500);
    String vendor = node.string("vendor");
    if (!node.has("logs_prompts")) {
      throw node.error("logs_prompts", "is required (true or false): an approval states whether the vendor logs prompts");
    }
    boolean logs = node.bool("logs_prompts", true);
    Instant until = instant(node, "approved_until");
    node.finish();
    return new ProviderApproval(classes, region, retention, vendor, logs, until);
  }

  private static Instant instant(ConfigNode node, String key) {
    String text = node.optString(key, null);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw node.error(key, "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z, got '" + text + "'");
    }
  }
}
