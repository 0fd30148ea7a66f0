package io.turnout.dataplane.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.ScopeKey;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which providers keep their connection pools: those the versions in force, and their rollbacks, send to. */
class ReferencedProvidersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: m-p, cometapi: m-c, claude: m-a}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1, owner: t}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: claude, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: t}
        - {route_version: chat-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: disabled, primary_provider: claude, timeout_ms: 30000, rollback_route_version: chat-v2, owner: t,
           disabled_reason: incident}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  @Test
  void aBaselineInForce_keepsOnlyItsOwnProvider() {
    assertEquals(Set.of("primary"), ReferencedProviders.of(snapshotOn("chat-v1")));
  }

  @Test
  void aVersionInForce_keepsTheProvidersItsModeSendsTo_andThoseOfItsRollbackChain() {
    // fallback_only sends to the fallback only; its rollback chat-v1 keeps primary warm
    assertEquals(Set.of("cometapi", "primary"), ReferencedProviders.of(snapshotOn("chat-v2")));
    // disabled sends nowhere itself; chat-v2 and chat-v1 behind it do
    assertEquals(Set.of("cometapi", "primary"), ReferencedProviders.of(snapshotOn("chat-v3")));
  }

  private static RouteSnapshot snapshotOn(String version) {
    RouteMap map = RouteMap.parse("routes.yaml", ROUTES, Set.of("primary", "cometapi", "claude"), NOW);
    ScopeKey scope = new ScopeKey("production", "*", "chat");
    return new RouteSnapshot(map, map.active().with(scope, version), "routes.yaml", NOW);
  }
}
