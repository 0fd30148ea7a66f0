package io.turnout.routes;

import io.turnout.config.ConfigNode;
import io.turnout.dataplane.provider.ErrorClass;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Reads one {@code routes[i]} entry; see {@link RouteVersion#fromConfig}. */
final class RouteVersionReader {

  private RouteVersionReader() {}

  static RouteVersion read(ConfigNode node) {
    String id = node.string("route_version");
    String environment = node.string("environment");
    String cohort = node.string("tenant_or_cohort");
    String alias = node.string("model_alias");
    RouteMode mode = node.enumValue("mode", null, RouteMode::fromWireName, RouteMode.ALLOWED);
    String primary = node.string("primary_provider");
    String fallback = fallbackProvider(node, mode, primary);
    // Pins are optional here: when given they must equal the alias's, which RouteMap checks.
    String modelId = node.optString("provider_model_id", null);
    String fallbackModelId = node.optString("fallback_provider_model_id", null);
    if (fallbackModelId != null && fallback == null) {
      throw node.error("fallback_provider_model_id", "the route names no fallback_provider");
    }
    double share = canaryShare(node, mode);
    EnabledFeatures features = EnabledFeatures.fromConfig(node, "enabled_features", fallback != null);
    int timeoutMs = node.intValue("timeout_ms", 1, RouteVersion.MAX_TIMEOUT_MS);
    RetryPolicy retry = RetryPolicy.fromConfig(node.child("retry_policy"));
    Set<ErrorClass> fallbackOn = ErrorClasses.read(node, "fallback_on", RouteVersion.DEFAULT_FALLBACK_ON);
    String rollback = node.string("rollback_route_version");
    String owner = node.string("owner");
    Instant expiresAt = expiresAt(node);
    String reason = disabledReason(node, mode);
    node.finish();
    return new RouteVersion(id, environment, cohort, alias, mode, primary, fallback, modelId, fallbackModelId, share,
        features, timeoutMs, retry, fallbackOn, rollback, owner, expiresAt, reason);
  }

  private static String fallbackProvider(ConfigNode node, RouteMode mode, String primary) {
    String fallback = node.optString("fallback_provider", null);
    if (fallback == null && mode.requiresFallback()) {
      throw node.error("fallback_provider", "is required in mode " + mode.wireName());
    }
    // A primary_only version with a fallback named would read as "has a fallback" to anyone but
    // the resolver; reject it so the map says exactly what runs.
    if (fallback != null && mode == RouteMode.PRIMARY_ONLY) {
      throw node.error("fallback_provider", "must not be set in mode primary_only");
    }
    // Falling back to the same provider is a retry under another name (runbook section 4).
    if (primary.equals(fallback)) {
      throw node.error("fallback_provider", "must differ from primary_provider; use retry_policy to retry a provider");
    }
    return fallback;
  }

  private static double canaryShare(ConfigNode node, RouteMode mode) {
    if (mode != RouteMode.CANARY) {
      if (node.has("canary_share")) {
        throw node.error("canary_share", "is only allowed in mode canary");
      }
      node.raw("canary_share");
      return 0;
    }
    if (!node.has("canary_share")) {
      throw node.error("canary_share", "is required in mode canary (0 < share <= 1)");
    }
    double share = node.doubleValue("canary_share", 0, 0, 1);
    if (share <= 0) {
      throw node.error("canary_share", "must be greater than 0 (use mode primary_with_fallback for no canary)");
    }
    return share;
  }

  private static Instant expiresAt(ConfigNode node) {
    String text = node.optString("expires_at", null);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw node.error("expires_at", "must be an ISO-8601 instant such as 2026-12-31T00:00:00Z, got '" + text + "'");
    }
  }

  private static String disabledReason(ConfigNode node, RouteMode mode) {
    if (mode != RouteMode.DISABLED) {
      if (node.has("disabled_reason")) {
        throw node.error("disabled_reason", "is only allowed in mode disabled");
      }
      node.raw("disabled_reason");
      return null;
    }
    return node.string("disabled_reason");
  }
}
