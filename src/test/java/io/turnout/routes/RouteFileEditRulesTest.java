package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a route map file edit may not do to the running state (issue 13 items 14-16): empty a
 * scope's pointer, change a frozen version in place (the refusal names the field), and what counts
 * as a recovery.
 */
class RouteFileEditRulesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final ScopeKey ANY = new ScopeKey("production", "*", "chat");
  private static final ScopeKey TEAM = new ScopeKey("production", "team-a", "chat");

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: m1, fallback: m2}, rollback_target: safe}
      routes:
        - {route_version: v1, environment: production, tenant_or_cohort: "*", model_alias: chat, mode: primary_only,
           primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}
        - {route_version: safe, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 1500, rollback_route_version: v1, owner: o}
        - {route_version: v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: fallback, timeout_ms: 2000,
           rollback_route_version: v1, owner: o, enabled_features: {primary: [stream], fallback: [stream]}}
        - {route_version: v-off, environment: production, tenant_or_cohort: "*", model_alias: chat, mode: disabled,
           disabled_reason: out of service, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1,
           owner: o}
        - {route_version: t2, environment: production, tenant_or_cohort: team-a, model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}
        - {route_version: t-off, environment: production, tenant_or_cohort: team-a, model_alias: chat,
           mode: disabled, disabled_reason: out of service, primary_provider: primary, timeout_ms: 1000,
           rollback_route_version: v1, owner: o}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: v2}
        - {environment: production, tenant_or_cohort: team-a, model_alias: chat, route_version: t2}
      """;

  private static RouteMap map(String text) {
    return RouteMap.parse("routes.yaml", text, Set.of("primary", "fallback"), Instant.EPOCH);
  }

  private static RouteTable table() {
    RouteMap map = map(ROUTES);
    return RouteTable.initial(map, map.active(), "routes.yaml", NOW).table();
  }

  @Test
  void anEditThatDropsAScopesPointer_isRefusedNamingActive() {
    RouteTable table = table();
    String dropped = ROUTES.replace("  - {environment: production, tenant_or_cohort: team-a, model_alias: chat,"
        + " route_version: t2}\n", "");
    assertFalse(dropped.equals(ROUTES));

    ConfigException e = assertThrows(ConfigException.class, () -> table.proposeFile(map(dropped), "routes.yaml", NOW));

    assertEquals("active", e.path());
    assertTrue(e.reason().contains("production/team-a/chat") && e.reason().contains("disabled"), e.reason());
    assertEquals("t2", table.current().pointers().get(TEAM), "nothing applied");
  }

  @Test
  void anEmptiedActiveList_isRefused() {
    RouteTable table = table();
    String empty = ROUTES.substring(0, ROUTES.indexOf("active:")) + "active: []\n";

    ConfigException e = assertThrows(ConfigException.class, () -> table.proposeFile(map(empty), "routes.yaml", NOW));

    assertEquals("active", e.path());
  }

  @Test
  void takingAScopeOutOfService_isAnExplicitDisabledVersion() {
    RouteTable table = table();
    String disabled = ROUTES.replace("tenant_or_cohort: team-a, model_alias: chat, route_version: t2}",
        "tenant_or_cohort: team-a, model_alias: chat, route_version: t-off}");

    assertEquals("t-off", table.proposeFile(map(disabled), "routes.yaml", NOW).next().pointers().get(TEAM));
  }

  @Test
  void aFrozenVersionChangedInPlace_namesTheFieldThatChanged() {
    RouteTable table = table();
    ConfigException timeout = assertThrows(ConfigException.class, () -> table.proposeFile(
        map(ROUTES.replace("timeout_ms: 1000, rollback_route_version: v1, owner: o}\n  - {route_version: safe",
            "timeout_ms: 9000, rollback_route_version: v1, owner: o}\n  - {route_version: safe")), "routes.yaml", NOW));
    ConfigException feature = assertThrows(ConfigException.class, () -> table.proposeFile(
        map(ROUTES.replace("fallback: [stream]}}", "fallback: []}}")), "routes.yaml", NOW));

    assertEquals("routes[0].timeout_ms", timeout.path());
    assertTrue(timeout.getMessage().contains("routes[0].timeout_ms: route version v1 changed in place"),
        timeout.getMessage());
    assertTrue(feature.path().startsWith("routes[2].enabled_features"), feature.path());
  }

  @Test
  void recoveries_areTheRollbackChain_theAliasTarget_andBaselines() {
    RouteMap map = map(ROUTES);

    assertTrue(map.isRecovery("v2", "v1"), "on the chain");
    assertTrue(map.isRecovery("v2", "safe"), "the alias's rollback_target");
    assertTrue(map.isRecovery(null, "v1"), "a baseline, even without a pointer");
    assertFalse(map.isRecovery("v1", "v2"), "a forward move");
    assertFalse(map.isRecovery("v2", "v-off"), "a disabled version is not a way back");
  }

  @Test
  void aRollbackOnAScopeWithoutAPointer_goesToTheAliasRollbackTarget() {
    RouteTable table = table();
    ScopeKey unpointed = new ScopeKey("production", "team-b", "chat");

    RouteTable.Proposal rollback = table.proposeRollback(unpointed, -1, NOW);

    assertEquals("safe", rollback.next().pointers().get(unpointed));
    assertEquals("v2", rollback.next().pointers().get(ANY), "the others stay");
  }
}
