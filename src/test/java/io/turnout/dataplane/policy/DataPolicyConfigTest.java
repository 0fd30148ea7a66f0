package io.turnout.dataplane.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.YamlFiles;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.provider.ProviderApproval;

/** Reading {@code data_policy} and {@code providers.<name>.approval}: defaults, and errors with their field paths. */
class DataPolicyConfigTest {

  @Test
  void absentSection_isOff() {
    DataPolicy policy = DataPolicy.fromConfig(root("node: {}\n"));
    assertFalse(policy.enabled());
    assertNull(policy.forCohort("anyone"));
  }

  @Test
  void cohortWithoutItsOwnEntry_getsTheSharedOne() {
    DataPolicy policy = DataPolicy.fromConfig(root("""
        data_policy:
          cohorts:
            "*": {data_class: internal, allowed_regions: [eu-west-1], max_retention_days: 30}
            regulated: {data_class: regulated, allowed_regions: [eu-west-1], max_retention_days: 0, approved_vendors: [openai]}
        """));
    assertEquals("regulated", policy.forCohort("regulated").dataClass());
    assertEquals("internal", policy.forCohort("acme").dataClass());
    assertEquals(Set.of("openai"), policy.forCohort("regulated").approvedVendors());
    assertEquals(Set.of(), policy.forCohort("acme").approvedVendors());
  }

  @Test
  void sectionWithoutTheSharedEntry_isRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> DataPolicy.fromConfig(root("""
        data_policy:
          cohorts:
            regulated: {data_class: regulated, allowed_regions: [eu-west-1], max_retention_days: 0}
        """)));
    assertEquals("data_policy.cohorts", e.path());
  }

  @Test
  void cohortErrors_nameTheField() {
    assertPath("data_policy.cohorts.*.allowed_regions", """
        data_policy:
          cohorts:
            "*": {data_class: internal, allowed_regions: [], max_retention_days: 30}
        """);
    assertPath("data_policy.cohorts.*.max_retention_days", """
        data_policy:
          cohorts:
            "*": {data_class: internal, allowed_regions: [eu-west-1]}
        """);
    assertPath("data_policy.cohorts.*.retention", """
        data_policy:
          cohorts:
            "*": {data_class: internal, allowed_regions: [eu-west-1], max_retention_days: 1, retention: 2}
        """);
  }

  @Test
  void approval_isReadWithItsExpiry() {
    ProviderApproval a = ProviderApproval.fromConfig(root("""
        approval: {data_classes: [regulated], region: eu-west-1, retention_days: 0, vendor: openai,
                   logs_prompts: false, approved_until: "2027-01-01T00:00:00Z"}
        """));
    assertEquals(Set.of("regulated"), a.dataClasses());
    assertFalse(a.logsPrompts());
    assertTrue(a.expired(Instant.parse("2027-01-01T00:00:00Z")));
    assertFalse(a.expired(Instant.parse("2026-12-31T23:59:59Z")));
    assertNull(ProviderApproval.fromConfig(root("kind: openai\n")));
  }

  @Test
  void approvalErrors_nameTheField() {
    ConfigException e = assertThrows(ConfigException.class, () -> ProviderApproval.fromConfig(root(
        "approval: {data_classes: [regulated], region: eu-west-1, retention_days: 0, vendor: openai}\n")));
    assertEquals("approval.logs_prompts", e.path());
    e = assertThrows(ConfigException.class, () -> ProviderApproval.fromConfig(root(
        "approval: {data_classes: [x], region: r, retention_days: 0, vendor: v, logs_prompts: true, approved_until: soon}\n")));
    assertEquals("approval.approved_until", e.path());
  }

  private static void assertPath(String path, String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> DataPolicy.fromConfig(root(yaml)));
    assertEquals(path, e.path(), e.getMessage());
  }

  private static ConfigNode root(String yaml) {
    return ConfigNode.root("turnout.yaml", YamlFiles.parse("turnout.yaml", yaml));
  }
}
