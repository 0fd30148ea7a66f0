package io.turnout.routes;

import static io.turnout.routes.RouteMapFixture.CANARY;
import static io.turnout.routes.RouteMapFixture.DISABLED;
import static io.turnout.routes.RouteMapFixture.FILE;
import static io.turnout.routes.RouteMapFixture.SUPPORT;
import static io.turnout.routes.RouteMapFixture.TRIAGE;
import static io.turnout.routes.RouteMapFixture.V0;
import static io.turnout.routes.RouteMapFixture.V1;
import static io.turnout.routes.RouteMapFixture.alias;
import static io.turnout.routes.RouteMapFixture.pointer;
import static io.turnout.routes.RouteMapFixture.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of {@link RouteMap#parse}: GIVEN the valid fixture with one mutation, THEN the error names file and path. */
class RouteMapInvalidTest {

  static Stream<Arguments> invalidMaps() {
    return Stream.of(
        // unknown fields, at every level
        bad("rutes", "unknown field", j -> j.put("rutes", new JsonArray())),
        bad("routes[1].timout_ms", "unknown field", j -> route(j, V1).put("timout_ms", 1)),
        bad("aliases.support-summary-v3.rollback", "unknown field", j -> alias(j, SUPPORT).put("rollback", "x")),
        bad("active[0].cohort", "unknown field", j -> pointer(j, 0).put("cohort", "x")),
        bad("routes[1].retry_policy.max_retry", "unknown field",
            j -> route(j, V1).getJsonObject("retry_policy").put("max_retry", 1)),
        bad("routes[1].enabled_features.secondary", "unknown field",
            j -> route(j, V1).getJsonObject("enabled_features").put("secondary", new JsonArray())),
        // shapes and types
        bad("aliases", "at least one", j -> j.put("aliases", new JsonObject())),
        bad("routes", "must be a list", j -> j.put("routes", new JsonObject())),
        bad("routes[1]", "must be a mapping", j -> j.getJsonArray("routes").set(V1, "support-primary-v1")),
        bad("routes[1].timeout_ms", "integer", j -> route(j, V1).put("timeout_ms", "30s")),
        bad("routes[1].timeout_ms", "between 1 and 600000", j -> route(j, V1).put("timeout_ms", 0)),
        bad("routes[1].timeout_ms", "between 1 and 600000", j -> route(j, V1).put("timeout_ms", 600_001)),
        bad("routes[1].timeout_ms", "required", j -> route(j, V1).remove("timeout_ms")),
        bad("routes[1].owner", "required", j -> route(j, V1).remove("owner")),
        bad("routes[1].rollback_route_version", "required", j -> route(j, V1).remove("rollback_route_version")),
        bad("routes[1].mode", "must be one of", j -> route(j, V1).put("mode", "primary_first")),
        bad("routes[1].mode", "required", j -> route(j, V1).remove("mode")),
        bad("routes[1].expires_at", "ISO-8601", j -> route(j, V1).put("expires_at", "next tuesday")),
        bad("routes[1].expires_at", "must be a string", j -> route(j, V1).put("expires_at", 1767139200)),
        bad("routes[1].retry_policy.max_retries", "between 0 and 3",
            j -> route(j, V1).getJsonObject("retry_policy").put("max_retries", 4)),
        // uniqueness and references
        bad("routes[2].route_version", "already defined at routes[1]",
            j -> route(j, CANARY).put("route_version", "support-primary-v1")),
        bad("routes[1].primary_provider", "no configured provider", j -> route(j, V1).put("primary_provider", "openai")),
        bad("routes[1].fallback_provider", "no configured provider", j -> route(j, V1).put("fallback_provider", "comet")),
        bad("aliases.support-summary-v3.provider_models.mistral", "no configured provider",
            j -> alias(j, SUPPORT).getJsonObject("provider_models").put("mistral", "mistral-large-2411")),
        bad("aliases.support-summary-v3.provider_models", "does not pin a provider model id",
            j -> alias(j, SUPPORT).put("provider_models", new JsonObject())),
        bad("aliases.support-summary-v3.provider_models.cometapi", "must be a string",
            j -> alias(j, SUPPORT).getJsonObject("provider_models").put("cometapi", 4)),
        bad("routes[1].fallback_provider", "pins no provider model id for 'claude'",
            j -> route(j, V1).put("fallback_provider", "claude")),
        bad("routes[1].model_alias", "names no alias", j -> route(j, V1).put("model_alias", "support-summary-v4")),
        bad("routes[1].provider_model_id", "pins 'gpt-4o-mini-2024-07-18'",
            j -> route(j, V1).put("provider_model_id", "gpt-4o-mini")),
        bad("routes[1].fallback_provider_model_id", "pins 'gpt-4o-mini'",
            j -> route(j, V1).put("fallback_provider_model_id", "gpt-4o-mini-latest")),
        bad("routes[0].fallback_provider_model_id", "no fallback_provider",
            j -> route(j, V0).put("fallback_provider_model_id", "gpt-4o-mini")),
        bad("routes[1].rollback_route_version", "names no route version",
            j -> route(j, V1).put("rollback_route_version", "support-primary-v-1")),
        bad("routes[1].rollback_route_version", "same model_alias and environment",
            j -> route(j, V1).put("rollback_route_version", "triage-v1")),
        bad("routes[1].rollback_route_version", "same model_alias and environment",
            j -> route(j, V1).put("rollback_route_version", "support-staging-v1")),
        bad("routes[0].rollback_route_version", "was written for cohort internal; a rollback must be for cohort *",
            j -> route(j, V0).put("rollback_route_version", "support-internal-v1")),
        bad("aliases.support-summary-v3.rollback_target", "names no route version",
            j -> alias(j, SUPPORT).put("rollback_target", "primary-chat-previous")),
        bad("aliases.internal-triage-v1.rollback_target", "serves alias support-summary-v3",
            j -> alias(j, TRIAGE).put("rollback_target", "support-primary-v0")),
        // features
        bad("routes[0].enabled_features[1]", "unknown feature 'function_calling'",
            j -> route(j, V0).getJsonArray("enabled_features").set(1, "function_calling")),
        bad("routes[1].enabled_features.fallback[0]", "unknown feature",
            j -> route(j, V1).getJsonObject("enabled_features").getJsonArray("fallback").set(0, "streaming")),
        bad("aliases.support-summary-v3.feature_assumptions[0]", "unknown feature",
            j -> alias(j, SUPPORT).getJsonArray("feature_assumptions").set(0, "text")),
        bad("routes[1].enabled_features", "assumes 'stream' but it is not enabled for the fallback provider cometapi",
            j -> route(j, V1).getJsonObject("enabled_features").put("fallback", new JsonArray())),
        bad("routes[0].enabled_features", "assumes 'stream'", j -> route(j, V0).remove("enabled_features")),
        bad("routes[0].enabled_features.fallback", "no fallback_provider",
            j -> route(j, V0).put("enabled_features", new JsonObject().put("primary", new JsonArray().add("stream"))
                .put("fallback", new JsonArray()))),
        bad("routes[0].enabled_features", "list of features or a mapping",
            j -> route(j, V0).put("enabled_features", "stream")),
        // mode rules
        bad("routes[1].fallback_provider", "required in mode primary_with_fallback",
            j -> route(j, V1).remove("fallback_provider")),
        bad("routes[2].fallback_provider", "required in mode canary", j -> route(j, CANARY).remove("fallback_provider")),
        bad("routes[0].fallback_provider", "must not be set in mode primary_only",
            j -> route(j, V0).put("fallback_provider", "cometapi")),
        bad("routes[1].fallback_provider", "must differ from primary_provider",
            j -> route(j, V1).put("fallback_provider", "primary")),
        bad("routes[2].canary_share", "required in mode canary", j -> route(j, CANARY).remove("canary_share")),
        bad("routes[2].canary_share", "greater than 0", j -> route(j, CANARY).put("canary_share", 0)),
        bad("routes[2].canary_share", "between 0.0 and 1.0", j -> route(j, CANARY).put("canary_share", 1.5)),
        bad("routes[1].canary_share", "only allowed in mode canary", j -> route(j, V1).put("canary_share", 0.1)),
        bad("routes[4].disabled_reason", "required", j -> route(j, DISABLED).remove("disabled_reason")),
        bad("routes[1].disabled_reason", "only allowed in mode disabled", j -> route(j, V1).put("disabled_reason", "x")),
        // error classes
        bad("routes[1].retry_policy.retry_on[2]", "unknown error class 'http_500'",
            j -> route(j, V1).getJsonObject("retry_policy").getJsonArray("retry_on").add("http_500")),
        bad("routes[1].fallback_on[0]", "'auth' is never retried or failed over",
            j -> route(j, V1).getJsonArray("fallback_on").set(0, "auth")),
        // pointers
        bad("active[0].route_version", "names no route version", j -> pointer(j, 0).put("route_version", "v9")),
        bad("active[0].route_version", "required", j -> pointer(j, 0).remove("route_version")),
        bad("active[0].environment", "is for 'production'", j -> pointer(j, 0).put("environment", "prod")),
        bad("active[0].tenant_or_cohort", "is for '*'", j -> pointer(j, 0).put("tenant_or_cohort", "internal")),
        bad("active[2].model_alias", "is for 'internal-triage-v1'", j -> pointer(j, 2).put("model_alias", SUPPORT)),
        bad("active[4]", "a second pointer for scope production/*/support-summary-v3 (the first is active[0])",
            j -> j.getJsonArray("active").add(RouteMapFixture.pointer("production", "*", SUPPORT, "support-primary-v0"))),
        bad("active[0].route_version", "expired at 2026-05-01T00:00:00Z",
            j -> route(j, V1).put("expires_at", "2026-05-01T00:00:00Z")),
        bad("active[0].route_version", "expired at 2026-06-01T00:00:00Z",
            j -> route(j, V1).put("expires_at", "2026-06-01T00:00:00Z")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidMaps")
  void rejectsWithFileAndFieldPath(String path, String reason, Consumer<JsonObject> mutation) {
    JsonObject json = RouteMapFixture.json();
    mutation.accept(json);

    ConfigException e = assertThrows(ConfigException.class, () -> RouteMapFixture.parse(json));

    assertEquals(FILE, e.file());
    assertEquals(path, e.path(), e.getMessage());
    assertTrue(e.reason().contains(reason), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"auth", "validation", "content_policy", "malformed_response", "client_cancelled"})
  void retryOnRefusesClassesAnotherAttemptCannotFix(String errorClass) {
    JsonObject json = RouteMapFixture.json();
    route(json, V1).getJsonObject("retry_policy").getJsonArray("retry_on").add(errorClass);

    ConfigException e = assertThrows(ConfigException.class, () -> RouteMapFixture.parse(json));

    assertEquals("routes[1].retry_policy.retry_on[2]", e.path());
  }

  @Test
  void invalidYamlNamesTheFileAndLine() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> RouteMap.parse(FILE, "aliases:\n  a: [unclosed\n", RouteMapFixture.PROVIDERS, RouteMapFixture.NOW));

    assertEquals(FILE, e.file());
    assertEquals("", e.path());
    assertTrue(e.reason().contains("not valid YAML"), e.getMessage());
  }

  private static Arguments bad(String path, String reason, Consumer<JsonObject> mutation) {
    return Arguments.of(path, reason, mutation);
  }
}
