package io.turnout.routes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * A valid, rich route map (every mode, both enabled_features forms, a cohort, two aliases, two
 * environments) as JSON, which is YAML, so each invalid case is one mutation of it.
 */
public final class RouteMapFixture {

  public static final String FILE = "conf/routes.yaml";
  public static final Set<String> PROVIDERS = Set.of("primary", "cometapi", "claude");
  public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  public static final String SUPPORT = "support-summary-v3";
  public static final String TRIAGE = "internal-triage-v1";

  /** Route indexes, for readable mutations. */
  public static final int V0 = 0;
  public static final int V1 = 1;
  public static final int CANARY = 2;
  public static final int INTERNAL = 3;
  public static final int DISABLED = 4;
  public static final int TRIAGE_V1 = 5;
  public static final int STAGING = 6;

  private RouteMapFixture() {}

  public static JsonObject json() {
    JsonObject aliases = new JsonObject()
        .put(SUPPORT, new JsonObject().put("description", "Support ticket summaries")
            .put("provider_models", new JsonObject().put("primary", "gpt-4o-mini-2024-07-18").put("cometapi", "gpt-4o-mini"))
            .put("feature_assumptions", new JsonArray().add("stream"))
            .put("rollback_target", "support-primary-v0"))
        .put(TRIAGE, new JsonObject()
            .put("provider_models", new JsonObject().put("claude", "claude-sonnet-4-5-20250929").put("primary", "gpt-4o-2024-08-06"))
            .put("rollback_target", "triage-v1"));
    JsonArray routes = new JsonArray()
        .add(route("support-primary-v0", "*", SUPPORT, "primary_only", "primary", null, "support-primary-v0")
            .put("enabled_features", new JsonArray().add("stream").add("tools")))
        .add(route("support-primary-v1", "*", SUPPORT, "primary_with_fallback", "primary", "cometapi", "support-primary-v0")
            .put("provider_model_id", "gpt-4o-mini-2024-07-18")
            .put("enabled_features", new JsonObject()
                .put("primary", new JsonArray().add("stream").add("tools").add("tool_choice").add("response_format").add("json_schema"))
                .put("fallback", new JsonArray().add("stream")))
            .put("retry_policy", new JsonObject().put("max_retries", 2).put("retry_on", new JsonArray().add("timeout").add("network"))
                .put("max_retry_after_ms", 1500).put("backoff_ms", 100))
            .put("fallback_on", new JsonArray().add("upstream_5xx").add("timeout"))
            .put("expires_at", "2026-12-31T00:00:00Z"))
        .add(route("support-canary-v2", "*", SUPPORT, "canary", "primary", "cometapi", "support-primary-v1")
            .put("canary_share", 0.05).put("enabled_features", new JsonArray().add("stream"))
            .put("expires_at", "2026-07-01T00:00:00Z"))
        .add(route("support-internal-v1", "internal", SUPPORT, "fallback_only", "primary", "cometapi", "support-primary-v0")
            .put("enabled_features", new JsonArray().add("stream").add("tools")))
        .add(route("support-disabled-v1", "*", SUPPORT, "disabled", "primary", null, "support-primary-v0")
            .put("disabled_reason", "CometAPI billing review, INC-4711"))
        .add(route("triage-v1", "*", TRIAGE, "primary_with_fallback", "claude", "primary", "triage-v1"))
        .add(route("support-staging-v1", "*", SUPPORT, "primary_only", "primary", null, "support-staging-v1")
            .put("environment", "staging").put("enabled_features", new JsonArray().add("stream")));
    JsonArray active = new JsonArray()
        .add(pointer("production", "*", SUPPORT, "support-primary-v1"))
        .add(pointer("production", "internal", SUPPORT, "support-internal-v1"))
        .add(pointer("production", "*", TRIAGE, "triage-v1"))
        .add(pointer("staging", "*", SUPPORT, "support-staging-v1"));
    return new JsonObject().put("aliases", aliases).put("routes", routes).put("active", active);
  }

  public static JsonObject route(String id, String cohort, String alias, String mode, String primary, String fallback,
      String rollback) {
    JsonObject r = new JsonObject().put("route_version", id).put("environment", "production")
        .put("tenant_or_cohort", cohort).put("model_alias", alias).put("mode", mode).put("primary_provider", primary);
    if (fallback != null) {
      r.put("fallback_provider", fallback);
    }
    return r.put("timeout_ms", 30_000).put("rollback_route_version", rollback).put("owner", "llm-platform@example.com");
  }

  public static JsonObject pointer(String environment, String cohort, String alias, String version) {
    return new JsonObject().put("environment", environment).put("tenant_or_cohort", cohort).put("model_alias", alias)
        .put("route_version", version);
  }

  public static RouteMap parse(JsonObject json) {
    return RouteMap.parse(FILE, json.encode(), PROVIDERS, NOW);
  }

  public static RouteMap map() {
    return parse(json());
  }

  public static JsonObject route(JsonObject json, int index) {
    return json.getJsonArray("routes").getJsonObject(index);
  }

  public static JsonObject alias(JsonObject json, String name) {
    return json.getJsonObject("aliases").getJsonObject(name);
  }

  public static JsonObject pointer(JsonObject json, int index) {
    return json.getJsonArray("active").getJsonObject(index);
  }

  public static ScopeKey scope(String cohort) {
    return new ScopeKey("production", cohort, SUPPORT);
  }
}
