package io.turnout.routes;

import io.turnout.config.ConfigNode;
import io.turnout.dataplane.provider.ErrorClass;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One frozen, versioned route (runbook section 1): which providers serve a scope, in which mode,
 * with which features, deadline, retry and fallback rules, and which version it rolls back to.
 * A version is never edited in place; a change is a new version and a pointer move.
 *
 * @param routeVersion the unique id, e.g. {@code support-primary-v1}
 * @param environment e.g. {@code production}
 * @param tenantOrCohort the cohort this version was written for, or {@code *}
 * @param modelAlias the app alias it serves
 * @param mode how the providers are used
 * @param primaryProvider the primary provider's name
 * @param fallbackProvider the fallback provider's name; null in {@code primary_only} (and optionally {@code disabled})
 * @param providerModelId the alias's pinned model id for the primary provider
 * @param fallbackProviderModelId the alias's pinned model id for the fallback provider, or null without one
 * @param canaryShare the share of cohorts sent to the fallback first, in (0, 1]; 0 unless mode is canary
 * @param enabledFeatures the features each provider may serve
 * @param timeoutMs one deadline for the whole chain of attempts, retries and fallback included
 * @param retryPolicy retries of one provider attempt
 * @param fallbackOn the failure classes after which the next planned attempt may run
 * @param rollbackRouteVersion the version this one returns to; itself for a baseline
 * @param owner who answers for this version
 * @param expiresAt when this version stops serving and its rollback takes over, or null
 * @param disabledReason why the scope is disabled (disabled mode only), else null
 */
public record RouteVersion(String routeVersion, String environment, String tenantOrCohort, String modelAlias,
    RouteMode mode, String primaryProvider, String fallbackProvider, String providerModelId,
    String fallbackProviderModelId, double canaryShare, EnabledFeatures enabledFeatures, int timeoutMs,
    RetryPolicy retryPolicy, Set<ErrorClass> fallbackOn, String rollbackRouteVersion, String owner,
    Instant expiresAt, String disabledReason) {

  /** The largest {@code timeout_ms}: ten minutes. */
  public static final int MAX_TIMEOUT_MS = 600_000;
  /** The transient classes: upstream_5xx, timeout, network, rate_limited. */
  public static final Set<ErrorClass> DEFAULT_FALLBACK_ON = ErrorClasses.TRANSIENT;

  public RouteVersion {
    Objects.requireNonNull(routeVersion, "routeVersion");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(primaryProvider, "primaryProvider");
    Objects.requireNonNull(enabledFeatures, "enabledFeatures");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(rollbackRouteVersion, "rollbackRouteVersion");
    fallbackOn = ErrorClasses.checkedCopy(fallbackOn, "fallbackOn");
  }

  /**
   * Reads one entry of {@code routes}, checking everything that needs no other entry: types,
   * ranges and the mode rules. Provider, alias, pin and rollback references are checked by
   * {@link RouteMap#parse}, which then fills in the pinned model ids via {@link #withPins}.
   */
  public static RouteVersion fromConfig(ConfigNode node) {
    return RouteVersionReader.read(node);
  }

  /** Whether this version has expired at {@code now} ({@code expires_at <= now}). */
  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** Whether this version names itself as its rollback: the end of every rollback chain. */
  public boolean isBaseline() {
    return routeVersion.equals(rollbackRouteVersion);
  }

  /** The provider serving {@code role}, or null when the route has none for it. */
  public String provider(RouteRole role) {
    return role == RouteRole.PRIMARY ? primaryProvider : fallbackProvider;
  }

  /** The pinned model id for {@code role}, or null. */
  public String modelId(RouteRole role) {
    return role == RouteRole.PRIMARY ? providerModelId : fallbackProviderModelId;
  }

  /** The scope this version was written for. */
  public ScopeKey scope() {
    return new ScopeKey(environment, tenantOrCohort, modelAlias);
  }

  /** A copy carrying the alias's pinned model ids. */
  public RouteVersion withPins(String primaryModelId, String fallbackModelId) {
    return new RouteVersion(routeVersion, environment, tenantOrCohort, modelAlias, mode, primaryProvider,
        fallbackProvider, primaryModelId, fallbackModelId, canaryShare, enabledFeatures, timeoutMs, retryPolicy,
        fallbackOn, rollbackRouteVersion, owner, expiresAt, disabledReason);
  }

  /**
   * The config shape, with the resolved pins as {@code provider_model_id} and
   * {@code fallback_provider_model_id} so operators see exactly which model ids a version sends.
   * The output parses back to an equal version.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("route_version", routeVersion).put("environment", environment)
        .put("tenant_or_cohort", tenantOrCohort).put("model_alias", modelAlias).put("mode", mode.wireName())
        .put("primary_provider", primaryProvider);
    putIfPresent(json, "fallback_provider", fallbackProvider);
    putIfPresent(json, "provider_model_id", providerModelId);
    putIfPresent(json, "fallback_provider_model_id", fallbackProviderModelId);
    if (mode == RouteMode.CANARY) {
      json.put("canary_share", canaryShare);
    }
    json.put("enabled_features", enabledFeatures.toJson(fallbackProvider != null)).put("timeout_ms", timeoutMs)
        .put("retry_policy", retryPolicy.toJson()).put("fallback_on", ErrorClasses.toJson(fallbackOn))
        .put("rollback_route_version", rollbackRouteVersion).put("owner", owner)
        .put("expires_at", expiresAt == null ? null : expiresAt.toString());
    putIfPresent(json, "disabled_reason", disabledReason);
    return json;
  }

  private static void putIfPresent(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
