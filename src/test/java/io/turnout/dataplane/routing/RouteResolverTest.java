package io.turnout.dataplane.routing;

import static io.turnout.routes.RouteMapFixture.NOW;
import static io.turnout.routes.RouteMapFixture.SUPPORT;
import static io.turnout.routes.RouteMapFixture.scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.routing.RouteRejection.Kind;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.turnout.routes.ActivePointers;
import io.turnout.routes.Feature;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteMapFixture;
import io.turnout.routes.RouteRole;

/** {@link RouteResolver#resolve}: scope lookup, expiry, modes, canary order, features and rejections. */
class RouteResolverTest {

  private final RouteMap map = RouteMapFixture.map();
  private final RouteResolver alwaysIn = new RouteResolver((alias, key, share) -> true);
  private final RouteResolver neverIn = new RouteResolver((alias, key, share) -> false);

  @ParameterizedTest(name = "{0} in canary={2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      support-primary-v0  | *        | false | primary:primary
      support-primary-v1  | *        | false | primary:primary cometapi:fallback
      support-internal-v1 | internal | false | cometapi:fallback
      support-canary-v2   | *        | false | primary:primary cometapi:fallback
      support-canary-v2   | *        | true  | cometapi:fallback:canary primary:primary
      """)
  void eachModeOrdersItsAttempts(String version, String cohort, boolean inCanary, String expected) {
    ActivePointers pointers = map.active().with(scope(cohort), version);
    RouteResolver resolver = inCanary ? alwaysIn : neverIn;

    RoutePlan plan = resolver.resolve(map, pointers, request("*".equals(cohort) ? null : cohort), NOW);

    assertFalse(plan.rejected(), () -> plan.toJson().encode());
    assertEquals(version, plan.routeVersion());
    assertEquals(expected, describe(plan.attempts()));
    assertEquals(inCanary, plan.canary());
  }

  @Test
  void aPlanCarriesPinsDeadlineRetryAndFallbackRules() {
    RoutePlan plan = neverIn.resolve(map, map.active(), request(null), NOW);

    assertEquals(List.of(new PlannedAttempt("primary", "gpt-4o-mini-2024-07-18", RouteRole.PRIMARY, false),
        new PlannedAttempt("cometapi", "gpt-4o-mini", RouteRole.FALLBACK, false)), plan.attempts());
    assertEquals(scope("*"), plan.scope());
    assertEquals(30_000, plan.timeoutMs());
    assertEquals(EnumSet.of(ErrorClass.UPSTREAM_5XX, ErrorClass.TIMEOUT), plan.fallbackOn());
    assertEquals(2, plan.retryPolicy().maxRetries());
    assertNull(plan.expiredFrom());
    assertEquals("support-primary-v1", plan.toJson().getString("route_version"));
  }

  @Test
  void theCanarySelectorSeesAliasStableKeyAndShare() {
    List<String> calls = new ArrayList<>();
    RouteResolver recording = new RouteResolver((alias, key, share) -> calls.add(alias + "|" + key + "|" + share));

    recording.resolve(map, map.active().with(scope("*"), "support-canary-v2"), request(null), NOW);

    assertEquals(List.of(SUPPORT + "|acme:alice|0.05"), calls);
  }

  @Test
  void theStandardResolverFollowsTheHashedBucket() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");
    for (int i = 0; i < 2_000; i++) {
      String key = "acme:user-" + i;
      RouteRequest request = new RouteRequest("production", "acme", null, SUPPORT, EnumSet.of(Feature.STREAM), key);
      boolean expected = CanarySelector.bucket(SUPPORT, key) < 500;
      assertEquals(expected, RouteResolver.standard().resolve(map, pointers, request, NOW).canary(), key);
    }
  }

  @Test
  void aCohortPointerWinsOverTheSharedOne() {
    assertEquals("support-internal-v1", neverIn.resolve(map, map.active(), request("internal"), NOW).routeVersion());
    RoutePlan beta = neverIn.resolve(map, map.active(), request("beta"), NOW);
    assertEquals("support-primary-v1", beta.routeVersion());
    assertEquals(scope("*"), beta.scope());
  }

  @Test
  void environmentsAreSeparate() {
    RouteRequest staging = new RouteRequest("staging", "acme", null, SUPPORT, EnumSet.of(Feature.STREAM), "acme");

    assertEquals("support-staging-v1", neverIn.resolve(map, map.active(), staging, NOW).routeVersion());
  }

  @Test
  void noPointerIsNoRouteNamingTheScopes() {
    RouteRequest dev = new RouteRequest("dev", "acme", "beta", SUPPORT, EnumSet.noneOf(Feature.class), "acme");

    RoutePlan plan = neverIn.resolve(map, map.active(), dev, NOW);

    assertRejected(plan, Kind.NO_ROUTE, 503, null);
    assertTrue(plan.rejection().message().contains("dev/beta/support-summary-v3 or dev/*/support-summary-v3"),
        plan.rejection().message());
    assertEquals(0, plan.timeoutMs());
  }

  @Test
  void anUnknownAliasIsNotFound() {
    RouteRequest request = new RouteRequest("production", "acme", null, "gpt-5", EnumSet.noneOf(Feature.class), "acme");

    RoutePlan plan = neverIn.resolve(map, map.active(), request, NOW);

    assertRejected(plan, Kind.UNKNOWN_ALIAS, 404, "model");
    assertTrue(plan.rejection().message().contains("'gpt-5'"));
  }

  @Test
  void aDisabledVersionRefusesWithScopeAndReason() {
    RoutePlan plan = neverIn.resolve(map, map.active().with(scope("*"), "support-disabled-v1"), request(null), NOW);

    assertRejected(plan, Kind.DISABLED, 503, null);
    assertEquals("support-disabled-v1", plan.routeVersion());
    assertTrue(plan.rejection().message().contains("production/*/support-summary-v3"));
    assertTrue(plan.rejection().message().contains("CometAPI billing review, INC-4711"));
  }

  @Test
  void anExpiredActiveVersionServesItsRollbackAndSaysSo() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");

    RoutePlan plan = alwaysIn.resolve(map, pointers, request(null), Instant.parse("2026-07-01T00:00:00Z"));

    assertEquals("support-primary-v1", plan.routeVersion());
    assertEquals("support-canary-v2", plan.expiredFrom());
    assertEquals("primary:primary cometapi:fallback", describe(plan.attempts()));
  }

  @Test
  void expiryFollowsTheChainToTheFirstLiveVersion() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");

    RoutePlan plan = neverIn.resolve(map, pointers, request(null), Instant.parse("2027-01-01T00:00:00Z"));

    assertEquals("support-primary-v0", plan.routeVersion());
    assertEquals("support-canary-v2", plan.expiredFrom());
  }

  @Test
  void aLoopOfExpiredVersionsOrAMissingVersionIsNoRoute() {
    JsonObject json = RouteMapFixture.json();
    RouteMapFixture.route(json, RouteMapFixture.V0).put("expires_at", "2026-07-01T00:00:00Z")
        .put("rollback_route_version", "support-primary-v1");
    RouteMap looped = RouteMapFixture.parse(json);

    RoutePlan loop = neverIn.resolve(looped, looped.active(), request(null), Instant.parse("2027-01-01T00:00:00Z"));
    RoutePlan missing = neverIn.resolve(map, map.active().with(scope("*"), "support-primary-v9"), request(null), NOW);

    assertRejected(loop, Kind.NO_ROUTE, 503, null);
    assertTrue(loop.rejection().message().contains("have all expired"), loop.rejection().message());
    assertRejected(missing, Kind.NO_ROUTE, 503, null);
    assertTrue(missing.rejection().message().contains("support-primary-v9"));
  }

  @ParameterizedTest(name = "{0} needs {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      support-primary-v1 | stream tools          | primary:primary
      support-primary-v1 | json_schema           | primary:primary
      support-primary-v1 | stream                | primary:primary cometapi:fallback
      support-primary-v0 | stream tools          | primary:primary
      """)
  void attemptsWithoutTheRequestedFeaturesAreDropped(String version, String features, String expected) {
    ActivePointers pointers = map.active().with(scope("*"), version);

    RoutePlan plan = alwaysIn.resolve(map, pointers, request(null, features), NOW);

    assertEquals(expected, describe(plan.attempts()));
  }

  @ParameterizedTest(name = "{0} needs {2} -> 400 {3}")
  @CsvSource(delimiter = '|', textBlock = """
      support-internal-v1 | internal | stream json_schema   | json_schema      | response_format
      support-internal-v1 | internal | vision               | vision           | messages
      support-primary-v1  |          | seed logprobs        | logprobs         | logprobs
      support-primary-v0  |          | tools multiple_choices | multiple_choices | n
      support-canary-v2   |          | tools                | tools            | tools
      """)
  void aFeatureNoProviderEnabledIsABadRequestNamingIt(String version, String cohort, String features, String feature,
      String param) {
    String scopeCohort = cohort == null ? "*" : cohort;
    ActivePointers pointers = map.active().with(scope(scopeCohort), version);

    RoutePlan plan = alwaysIn.resolve(map, pointers, request(cohort, features), NOW);

    assertRejected(plan, Kind.FEATURE_NOT_ENABLED, 400, param);
    assertTrue(plan.rejection().message().contains("'" + feature + "'"), plan.rejection().message());
    assertTrue(plan.rejection().message().contains(version), plan.rejection().message());
    assertEquals(version, plan.routeVersion());
  }

  private static void assertRejected(RoutePlan plan, Kind kind, int status, String param) {
    assertTrue(plan.rejected());
    assertEquals(kind, plan.rejection().kind());
    assertEquals(status, plan.rejection().status());
    assertEquals(param, plan.rejection().param());
    assertEquals(List.of(), plan.attempts());
  }

  private static RouteRequest request(String cohort) {
    return request(cohort, "stream");
  }

  private static RouteRequest request(String cohort, String features) {
    EnumSet<Feature> set = Arrays.stream(features.trim().split(" +")).map(Feature::fromWireName)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Feature.class)));
    return new RouteRequest("production", "acme", cohort, SUPPORT, set, "acme:alice");
  }

  private static String describe(List<PlannedAttempt> attempts) {
    return attempts.stream().map(a -> a.provider() + ":" + a.role().wireName() + (a.canary() ? ":canary" : ""))
        .collect(Collectors.joining(" "));
  }
}
