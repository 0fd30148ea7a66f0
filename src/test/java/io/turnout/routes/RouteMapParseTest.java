package io.turnout.routes;

import static io.turnout.routes.RouteMapFixture.NOW;
import static io.turnout.routes.RouteMapFixture.PROVIDERS;
import static io.turnout.routes.RouteMapFixture.SUPPORT;
import static io.turnout.routes.RouteMapFixture.scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A valid route map: what {@link RouteMap#parse} reads, resolves and writes back. */
class RouteMapParseTest {

  /** The brief's example file, as an operator writes it: comments, quoted "*", an unquoted instant. */
  static final String YAML = """
      aliases:
        support-summary-v3:
          description: Support ticket summaries
          provider_models:
            primary: gpt-4o-mini-2024-07-18
            cometapi: gpt-4o-mini
          feature_assumptions: [stream]
          rollback_target: support-primary-v0
      routes:
        - route_version: support-primary-v0      # the baseline: rolls back to itself
          environment: production
          tenant_or_cohort: "*"
          model_alias: support-summary-v3
          mode: primary_only
          primary_provider: primary
          enabled_features: [stream, tools]
          timeout_ms: 30000
          rollback_route_version: support-primary-v0
          owner: llm-platform@example.com
          expires_at: null
        - route_version: support-primary-v1
          environment: production
          tenant_or_cohort: "*"
          model_alias: support-summary-v3
          mode: primary_with_fallback
          primary_provider: primary
          fallback_provider: cometapi
          provider_model_id: gpt-4o-mini-2024-07-18
          enabled_features:
            primary: [stream, tools, tool_choice, response_format, json_schema]
            fallback: [stream]
          timeout_ms: 30000
          rollback_route_version: support-primary-v0
          owner: llm-platform@example.com
          expires_at: 2026-12-31T00:00:00Z
      active:
        - environment: production
          tenant_or_cohort: "*"
          model_alias: support-summary-v3
          route_version: support-primary-v1
      """;

  @Test
  void readsTheYamlExampleWithDefaults() {
    RouteMap map = RouteMap.parse("conf/routes.yaml", YAML, PROVIDERS, NOW);

    RouteVersion v1 = map.version("support-primary-v1");
    assertEquals(RouteMode.PRIMARY_WITH_FALLBACK, v1.mode());
    assertEquals("gpt-4o-mini-2024-07-18", v1.providerModelId());
    assertEquals("gpt-4o-mini", v1.fallbackProviderModelId());
    assertEquals(Instant.parse("2026-12-31T00:00:00Z"), v1.expiresAt());
    assertEquals(RetryPolicy.DEFAULT, v1.retryPolicy());
    assertEquals(EnumSet.of(ErrorClass.UPSTREAM_5XX, ErrorClass.TIMEOUT, ErrorClass.NETWORK, ErrorClass.RATE_LIMITED),
        v1.fallbackOn());
    assertEquals(EnumSet.of(Feature.STREAM), v1.enabledFeatures().fallback());
    assertNull(map.version("support-primary-v0").expiresAt());
    assertTrue(map.version("support-primary-v0").isBaseline());
    assertEquals(Map.of(scope("*"), "support-primary-v1"), map.active().byScope());
    assertEquals(0, map.active().revision());
  }

  @Test
  void resolvesPinsAndBothEnabledFeatureForms() {
    RouteMap map = RouteMapFixture.map();

    RouteVersion v0 = map.version("support-primary-v0");
    assertEquals("gpt-4o-mini-2024-07-18", v0.providerModelId());
    assertNull(v0.fallbackProvider());
    assertNull(v0.fallbackProviderModelId());
    assertEquals(Set.of(), v0.enabledFeatures().fallback());
    RouteVersion internal = map.version("support-internal-v1");
    assertEquals("gpt-4o-mini", internal.fallbackProviderModelId());
    // The list form enables the same features for both providers.
    assertEquals(EnumSet.of(Feature.STREAM, Feature.TOOLS), internal.enabledFeatures().primary());
    assertEquals(EnumSet.of(Feature.STREAM, Feature.TOOLS), internal.enabledFeatures().fallback());
    assertEquals(0.05, map.version("support-canary-v2").canaryShare());
    assertEquals("CometAPI billing review, INC-4711", map.version("support-disabled-v1").disabledReason());
    RetryPolicy retry = map.version("support-primary-v1").retryPolicy();
    assertEquals(new RetryPolicy(2, EnumSet.of(ErrorClass.TIMEOUT, ErrorClass.NETWORK), 1500, 100), retry);
    assertEquals(List.of(SUPPORT, RouteMapFixture.TRIAGE), List.copyOf(map.aliases().keySet()));
    assertEquals(4, map.active().byScope().size());
  }

  @Test
  void roundTripsThroughToJson() {
    RouteMap map = RouteMapFixture.map();

    JsonObject json = map.toJson();
    RouteMap again = RouteMap.parse("admin-api", json.encode(), PROVIDERS, NOW);

    assertEquals(map, again);
    assertEquals(json, again.toJson());
    JsonObject v1 = json.getJsonArray("routes").getJsonObject(RouteMapFixture.V1);
    assertEquals("gpt-4o-mini-2024-07-18", v1.getString("provider_model_id"));
    assertEquals("gpt-4o-mini", v1.getString("fallback_provider_model_id"));
  }

  @Test
  void anExpiredVersionMayStayInTheFileWhenNothingPointsAtIt() {
    JsonObject json = RouteMapFixture.json();
    RouteMapFixture.route(json, RouteMapFixture.CANARY).put("expires_at", "2026-01-01T00:00:00Z");

    RouteMap map = RouteMapFixture.parse(json);

    assertTrue(map.version("support-canary-v2").isExpired(NOW));
  }

  @Test
  void anIntegerCanaryShareAndAnOffsetInstantAreAccepted() {
    JsonObject json = RouteMapFixture.json();
    RouteMapFixture.route(json, RouteMapFixture.CANARY).put("canary_share", 1).put("expires_at", "2026-07-01T02:00:00+02:00");

    RouteVersion canary = RouteMapFixture.parse(json).version("support-canary-v2");

    assertEquals(1.0, canary.canaryShare());
    assertEquals(Instant.parse("2026-07-01T00:00:00Z"), canary.expiresAt());
  }

  @Test
  void checkActivationAllowsOwnOrSharedVersionsOnly() {
    RouteMap map = RouteMapFixture.map();

    map.checkActivation(scope("*"), "support-canary-v2", NOW);
    map.checkActivation(scope("internal"), "support-primary-v0", NOW);
    assertThrows(IllegalArgumentException.class, () -> map.checkActivation(scope("beta"), "support-internal-v1", NOW));
    assertThrows(IllegalArgumentException.class, () -> map.checkActivation(scope("*"), "triage-v1", NOW));
    assertThrows(IllegalArgumentException.class, () -> map.checkActivation(scope("*"), "support-staging-v1", NOW));
    assertThrows(IllegalArgumentException.class, () -> map.checkActivation(scope("*"), "support-primary-v9", NOW));
    IllegalArgumentException expired = assertThrows(IllegalArgumentException.class,
        () -> map.checkActivation(scope("*"), "support-canary-v2", Instant.parse("2026-07-01T00:00:00Z")));
    assertTrue(expired.getMessage().contains("expired"));
  }
}
