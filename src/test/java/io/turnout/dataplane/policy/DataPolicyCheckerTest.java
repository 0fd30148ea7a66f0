package io.turnout.dataplane.policy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.provider.ProviderApproval;

/** The rules of {@link DataPolicyChecker}: GIVEN a policy, approvals and a route map, THEN the verdict and field path. */
class DataPolicyCheckerTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final CohortPolicy ANY = new CohortPolicy("*", "internal", Set.of("eu-west-1", "us-east-1"), 30,
      Set.of());
  private static final CohortPolicy REGULATED = new CohortPolicy("regulated", "regulated", Set.of("eu-west-1"), 0,
      Set.of("openai", "cometapi"));
  private static final DataPolicy POLICY = policy(ANY, REGULATED);

  private static final ProviderApproval PRIMARY = new ProviderApproval(Set.of("regulated", "internal"), "eu-west-1", 0,
      "openai", false, null);
  private static final ProviderApproval COMETAPI = new ProviderApproval(Set.of("regulated", "internal"), "eu-west-1",
      0, "cometapi", false, Instant.parse("2026-07-01T00:00:00Z"));
  private static final ProviderApproval CLAUDE = new ProviderApproval(Set.of("internal"), "us-east-1", 30,
      "anthropic", true, null);
  private static final Map<String, ProviderApproval> APPROVALS = Map.of("primary", PRIMARY, "cometapi", COMETAPI,
      "claude", CLAUDE);

  @Test
  void approvedProvider_passes() {
    assertNull(DataPolicyChecker.check(REGULATED, "primary", PRIMARY, NOW));
    assertNull(DataPolicyChecker.check(ANY, "claude", CLAUDE, NOW));
  }

  @Test
  void eachConstraint_isItsOwnViolation() {
    assertReason("has no approval", DataPolicyChecker.check(REGULATED, "x", null, NOW));
    assertReason("not approved for data class regulated", DataPolicyChecker.check(REGULATED, "claude", CLAUDE, NOW));
    ProviderApproval us = new ProviderApproval(Set.of("regulated"), "us-east-1", 0, "openai", false, null);
    assertReason("outside the allowed regions", DataPolicyChecker.check(REGULATED, "p", us, NOW));
    ProviderApproval keeps = new ProviderApproval(Set.of("regulated"), "eu-west-1", 7, "openai", false, null);
    assertReason("retains data 7 days", DataPolicyChecker.check(REGULATED, "p", keeps, NOW));
    ProviderApproval other = new ProviderApproval(Set.of("regulated"), "eu-west-1", 0, "acme-ai", false, null);
    assertReason("vendor acme-ai", DataPolicyChecker.check(REGULATED, "p", other, NOW));
    assertReason("lapsed at 2026-07-01T00:00:00Z",
        DataPolicyChecker.check(REGULATED, "cometapi", COMETAPI, Instant.parse("2026-07-01T00:00:00Z")));
  }

  @Test
  void fallbackLooserThanPrimary_isAViolation() {
    assertReason("retains data 30 days, longer than the 0", DataPolicyChecker.looser("primary", PRIMARY, "claude",
        new ProviderApproval(Set.of("internal"), "us-east-1", 30, "anthropic", false, null)));
    assertReason("logs prompts but primary primary does not", DataPolicyChecker.looser("primary", PRIMARY, "c",
        new ProviderApproval(Set.of("internal"), "eu-west-1", 0, "x", true, null)));
    assertNull(DataPolicyChecker.looser("claude", CLAUDE, "primary", PRIMARY), "a stricter fallback is fine");
  }

  @Test
  void regulatedVersionFallingBackToAnUnapprovedProvider_isRejectedAtItsFallbackField() {
    ConfigException e = assertThrows(ConfigException.class, () -> check(map(
        version("reg-v1", "regulated", "primary_with_fallback", "primary", "claude"))));
    assertEquals("routes[0].fallback_provider", e.path());
    assertTrue(e.reason().contains("reg-v1") && e.reason().contains("not approved for data class regulated"),
        e.getMessage());
    assertEquals("routes.yaml", e.file());
  }

  @Test
  void onlyServingProvidersAreChecked() {
    // fallback_only never sends to the primary; disabled sends to nobody
    assertDoesNotThrow(() -> check(map(version("reg-v1", "regulated", "fallback_only", "claude", "primary"))));
    assertDoesNotThrow(() -> check(map(version("reg-v1", "regulated", "disabled", "claude", "cometapi")
        .replace("}", ", disabled_reason: paused}"))));
  }

  @Test
  void sharedVersion_isCheckedForEveryCohortWithoutAVersionOfItsOwn() {
    String shared = version("all-v1", "*", "primary_only", "claude", null);
    // regulated has no version for chat: the * version would serve it
    ConfigException e = assertThrows(ConfigException.class, () -> check(map(shared)));
    assertEquals("routes[0].primary_provider", e.path());
    assertTrue(e.reason().contains("cohort regulated"), e.getMessage());
    // with a regulated version of its own, the * version serves only the * policy
    assertDoesNotThrow(() -> check(map(shared, version("reg-v1", "regulated", "primary_only", "primary", null))));
  }

  @Test
  void looserFallback_isRejectedEvenWhenEachProviderIsApproved() {
    // claude is approved for internal data, but keeps it 30 days where the primary keeps none
    ConfigException e = assertThrows(ConfigException.class, () -> check(map(
        version("reg-v1", "regulated", "primary_only", "primary", null),
        version("all-v1", "*", "primary_with_fallback", "primary", "claude"))));
    assertEquals("routes[1].fallback_provider", e.path());
    assertTrue(e.reason().contains("never loosen data handling"), e.getMessage());
  }

  @Test
  void expiredApproval_ofAVersionInForce_isRejectedAtLoad() {
    RouteMap inForce = RouteMap.parse("routes.yaml", "aliases:\n"
        + "  chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: reg-v1}\n"
        + "routes:\n" + version("reg-v1", "regulated", "primary_with_fallback", "primary", "cometapi")
        + "active:\n  - {environment: production, tenant_or_cohort: regulated, model_alias: chat, route_version: reg-v1}\n",
        Set.of("primary", "cometapi", "claude"), NOW);
    ConfigException e = assertThrows(ConfigException.class, () -> DataPolicyChecker.checkMap("routes.yaml",
        inForce, POLICY, APPROVALS, Instant.parse("2026-08-01T00:00:00Z")));
    assertEquals("routes[0].fallback_provider", e.path());
    assertTrue(e.reason().contains("lapsed"), e.getMessage());
  }

  @Test
  void expiredApproval_ofAVersionNotInForce_isAWarning_neverARefusal() {
    // a lapse must not block a restart, an edit or a way back: only what would go into force is strict
    java.util.List<String> warnings = assertDoesNotThrow(() -> DataPolicyChecker.checkMap("routes.yaml",
        map(version("reg-v1", "regulated", "primary_with_fallback", "primary", "cometapi")), POLICY, APPROVALS,
        Instant.parse("2026-08-01T00:00:00Z")));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("routes[0].fallback_provider") && warnings.get(0).contains("lapsed"),
        warnings.get(0));
  }

  @Test
  void aStaticViolation_ofAVersionNotInForce_isStillRefused() {
    // only a lapse is lenient: a provider never approved for the data class is a config error anywhere
    assertThrows(ConfigException.class, () -> DataPolicyChecker.checkMap("routes.yaml",
        map(version("reg-v1", "regulated", "primary_only", "claude", null)), POLICY, APPROVALS, NOW));
  }

  @Test
  void policyOff_checksNothing() {
    assertDoesNotThrow(() -> DataPolicyChecker.checkMap("routes.yaml",
        map(version("all-v1", "*", "primary_with_fallback", "primary", "claude")), DataPolicy.OFF, Map.of(), NOW));
  }

  private static void check(RouteMap map) {
    DataPolicyChecker.checkMap("routes.yaml", map, POLICY, APPROVALS, NOW);
  }

  private static void assertReason(String expected, PolicyViolation violation) {
    assertTrue(violation != null && violation.reason().contains(expected), "expected '" + expected + "' in "
        + violation);
  }

  private static DataPolicy policy(CohortPolicy... cohorts) {
    Map<String, CohortPolicy> map = new LinkedHashMap<>();
    for (CohortPolicy c : cohorts) {
      map.put(c.cohort(), c);
    }
    return new DataPolicy(map);
  }

  static String version(String id, String cohort, String mode, String primary, String fallback) {
    return "  - {route_version: " + id + ", environment: production, tenant_or_cohort: \"" + cohort
        + "\", model_alias: chat, mode: " + mode + ", primary_provider: " + primary
        + (fallback == null ? "" : ", fallback_provider: " + fallback)
        + ", timeout_ms: 30000, rollback_route_version: " + id + ", owner: tests}\n";
  }

  static RouteMap map(String... versions) {
    String text = "aliases:\n"
        + "  chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini, claude: claude-x},"
        + " rollback_target: " + versions[0].replaceAll("(?s).*route_version: ([^,]+),.*", "$1") + "}\n"
        + "routes:\n" + String.join("", versions);
    return RouteMap.parse("routes.yaml", text, Set.of("primary", "cometapi", "claude"), NOW);
  }
}
