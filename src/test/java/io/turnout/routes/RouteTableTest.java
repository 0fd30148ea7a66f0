package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Proposals and compare-and-set on the route table: who may move a pointer, and what a stale writer sees. */
class RouteTableTest {

  private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
  private static final ScopeKey SCOPE = new ScopeKey("production", "*", "chat");

  private static String routes(String active, String extraVersion) {
    return """
        aliases:
          chat: {provider_models: {primary: m1, fallback: m2}, rollback_target: v1}
        routes:
          - {route_version: v1, environment: production, tenant_or_cohort: "*", model_alias: chat, mode: primary_only,
             primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}
          - {route_version: v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
             mode: fallback_only, primary_provider: primary, fallback_provider: fallback, timeout_ms: 1000,
             rollback_route_version: v1, owner: o}
        %s
        active:
          - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: %s}
        """.formatted(extraVersion, active);
  }

  private static RouteMap map(String active, String extraVersion) {
    return RouteMap.parse("routes.yaml", routes(active, extraVersion), Set.of("primary", "fallback"), Instant.EPOCH);
  }

  private static RouteTable table() {
    RouteMap map = map("v1", "");
    return RouteTable.initial(map, map.active(), "routes.yaml", NOW).table();
  }

  @Test
  void anOperatorsFlip_staysWhenAFileEditLeavesThatPointerAlone() {
    RouteTable table = table();
    assertTrue(table.commit(table.proposeActivation(SCOPE, "v2", -1, NOW)));

    // a file edit that adds a version but does not touch the scope's pointer
    String v3 = "  - {route_version: v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}";
    RouteTable.Proposal edit = table.proposeFile(map("v1", v3), "routes.yaml", NOW);

    assertEquals("v2", edit.next().pointers().get(SCOPE));
    assertTrue(table.commit(edit));
    assertEquals(3, table.current().map().versions().size());
  }

  @Test
  void aFileEditThatMovesThePointer_wins() {
    RouteTable table = table();
    table.commit(table.proposeActivation(SCOPE, "v2", -1, NOW));

    RouteTable.Proposal edit = table.proposeFile(map("v1", ""), "routes.yaml", NOW);
    assertEquals("v2", edit.next().pointers().get(SCOPE), "v1 -> v1 in the file is no move");

    String v3 = "  - {route_version: v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}";
    assertEquals("v3", table.proposeFile(map("v3", v3), "routes.yaml", NOW).next().pointers().get(SCOPE));
  }

  @Test
  void aFileEditThatRemovesAnActiveVersion_isRefused() {
    RouteTable table = table();
    table.commit(table.proposeActivation(SCOPE, "v2", -1, NOW));
    RouteMap withoutV2 = RouteMap.parse("routes.yaml", routes("v1", "").replaceAll("(?s)  - \\{route_version: v2.*?owner: o}\n",
        ""), Set.of("primary", "fallback"), Instant.EPOCH);

    ConfigException e = assertThrows(ConfigException.class, () -> table.proposeFile(withoutV2, "routes.yaml", NOW));

    assertTrue(e.reason().contains("v2"), e.reason());
    assertEquals("v2", table.current().pointers().get(SCOPE), "nothing applied");
  }

  @Test
  void aFileEditMovingAPointerOntoAnExpiredVersion_isRefused() {
    RouteTable table = table();
    String expired = "  - {route_version: v0, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o, "
        + "expires_at: \"2020-01-01T00:00:00Z\"}";

    ConfigException e = assertThrows(ConfigException.class,
        () -> table.proposeFile(map("v0", expired), "routes.yaml", NOW));

    assertEquals("active", e.path());
  }

  @Test
  void aVersionChangedInPlace_isRefused_versionsAreFrozen() {
    RouteTable table = table();
    RouteMap edited = RouteMap.parse("routes.yaml", routes("v1", "").replace("timeout_ms: 1000, rollback_route_version: v1, owner: o}\n  - {route_version: v2",
        "timeout_ms: 9000, rollback_route_version: v1, owner: o}\n  - {route_version: v2"),
        Set.of("primary", "fallback"), Instant.EPOCH);
    assertEquals(9000, edited.version("v1").timeoutMs(), "the edit really changes v1");

    ConfigException e = assertThrows(ConfigException.class, () -> table.proposeFile(edited, "routes.yaml", NOW));

    assertTrue(e.reason().contains("v1") && e.reason().contains("immutable"), e.reason());
  }

  @Test
  void aStaleCompareAndSet_loses() {
    RouteTable table = table();
    long seen = table.revision();
    RouteTable.Proposal first = table.proposeActivation(SCOPE, "v2", seen, NOW);
    RouteTable.Proposal second = table.proposeActivation(SCOPE, "v2", -1, NOW);

    assertThrows(IllegalArgumentException.class, () -> table.proposeRollback(SCOPE, seen, NOW),
        "v1 is a baseline: nothing to roll back to");
    assertTrue(table.commit(first));
    assertFalse(table.commit(second), "proposed from the state before the first commit");
    assertThrows(RouteTable.StaleRevisionException.class, () -> table.proposeActivation(SCOPE, "v1", seen, NOW));
    assertEquals(seen + 1, table.revision());
  }

  @Test
  void aFrozenScope_refusesAForwardMove_butAllowsARollbackAndAForcedMove() {
    RouteTable table = table();
    assertTrue(table.commit(table.proposeActivation(SCOPE, "v2", -1, NOW)));
    long revision = table.revision();
    assertTrue(table.commit(table.proposeControl(SCOPE, new ScopeControl(revision, null, true, null,
        "gate:fallback_5xx"), revision, NOW)));
    String v3 = "  - {route_version: v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v2, owner: o}";
    assertTrue(table.commit(table.proposeFile(map("v2", v3), "routes.yaml", NOW)));

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> table.proposeActivation(SCOPE, "v3", -1, NOW));
    assertTrue(refused.getMessage().contains("frozen by gate:fallback_5xx"), refused.getMessage());

    assertEquals("v3", table.proposeActivation(SCOPE, "v3", -1, NOW, true).next().pointers().get(SCOPE));
    assertEquals("v1", table.proposeRollback(SCOPE, -1, NOW).next().pointers().get(SCOPE));
  }

  @Test
  void aFreezeHoldsAgainstAFileEdit_thatMovesThePointerForward_butNotAgainstOneThatRollsBack() {
    RouteTable table = table();
    String v3 = "  - {route_version: v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v2, owner: o}";
    // the file says v2; the gate freezes the scope there
    assertTrue(table.commit(table.proposeFile(map("v2", v3), "routes.yaml", NOW)));
    long revision = table.revision();
    assertTrue(table.commit(table.proposeControl(SCOPE, new ScopeControl(revision, null, true, null,
        "gate:fallback_5xx"), revision, NOW)));

    // WHEN an edit moves the frozen scope forward to v3: refused, naming the field, nothing changed
    ConfigException refused = assertThrows(ConfigException.class,
        () -> table.proposeFile(map("v3", v3), "routes.yaml", NOW));
    assertEquals("active", refused.path());
    assertTrue(refused.reason().contains("frozen by gate:fallback_5xx"), refused.reason());
    assertEquals("v2", table.current().pointers().get(SCOPE));

    // WHEN an edit moves it back along its rollback chain: a rollback is always possible
    assertEquals("v1", table.proposeFile(map("v1", v3), "routes.yaml", NOW).next().pointers().get(SCOPE));
  }

  @Test
  void anOperatorsRollback_walksPastAnExpiredRollbackVersion() {
    String expiredV2 = "  - {route_version: v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v2, owner: o}";
    RouteMap map = RouteMap.parse("routes.yaml", routes("v3", expiredV2).replace(
        "rollback_route_version: v1, owner: o}\n  - {route_version: v3",
        "rollback_route_version: v1, owner: o, expires_at: \"2026-11-01T00:00:00Z\"}\n  - {route_version: v3"),
        Set.of("primary", "fallback"), Instant.EPOCH);
    RouteTable table = RouteTable.initial(map, map.active(), "routes.yaml", NOW).table();
    assertTrue(map.version("v2").isExpired(NOW), "the fixture's v2 has expired");

    // v3 rolls back to v2, which has expired: the rollback lands on v2's own rollback version
    assertEquals("v1", table.proposeRollback(SCOPE, -1, NOW).next().pointers().get(SCOPE));
  }

  @Test
  void aVersionChange_startsAFreshEpoch_whileAnEditElsewhereKeepsWhatTheScopeHolds() {
    RouteTable table = table();
    assertTrue(table.commit(table.proposeActivation(SCOPE, "v2", -1, NOW)));
    long moved = table.revision();
    assertEquals(ScopeControl.fresh(moved), table.current().pointers().control(SCOPE));
    ScopeControl held = new ScopeControl(moved, 0.25, true, null, "gate:fallback_timeouts");
    assertTrue(table.commit(table.proposeControl(SCOPE, held, moved, NOW)));

    // a file edit that adds a version leaves the scope and what it holds alone
    String v3 = "  - {route_version: v3, environment: production, tenant_or_cohort: \"*\", model_alias: chat, "
        + "mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}";
    assertTrue(table.commit(table.proposeFile(map("v1", v3), "routes.yaml", NOW)));
    assertEquals(held, table.current().pointers().control(SCOPE));

    // a rollback moves the version: a fresh evaluation, nothing held
    assertTrue(table.commit(table.proposeRollback(SCOPE, -1, NOW)));
    assertEquals(ScopeControl.fresh(table.revision()), table.current().pointers().control(SCOPE));
  }

  @Test
  void whatAScopeHolds_survivesTheTripThroughTheSharedStateText() {
    ActivePointers pointers = new ActivePointers(9, java.util.Map.of(SCOPE, "v2"),
        java.util.Map.of(SCOPE, new ScopeControl(7, 0.0, true, "rollback target v1 is failing too", "gate:x")));

    assertEquals(pointers, ActivePointers.fromJson(new io.vertx.core.json.JsonObject(pointers.toJson().encode())));
  }
}
