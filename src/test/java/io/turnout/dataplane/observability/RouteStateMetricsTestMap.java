package io.turnout.dataplane.observability;

/** {@link ObservedRoutes#MAP} plus {@code primary-v2} for chat-primary (rollback primary-v1), not active. */
public final class RouteStateMetricsTestMap {

  private RouteStateMetricsTestMap() {}

  public static final String MAP = ObservedRoutes.MAP.replace("\nactive:\n", "\n" + """
        - {route_version: primary-v2, environment: production, tenant_or_cohort: "*", model_alias: chat-primary,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: primary-v1,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}
      active:
      """);
}
