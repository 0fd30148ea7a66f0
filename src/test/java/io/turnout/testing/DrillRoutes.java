package io.turnout.testing;

/**
 * The route map drill tests run on (cluster, CLI, console): {@code chat} on {@code chat-v1} (a
 * baseline), {@code chat-canary} (half the traffic to cometapi first, rolling back to chat-v1), and
 * the internal cohort on {@code chat-internal-v0}, with {@code chat-internal-v1} fully on cometapi.
 */
public final class DrillRoutes {

  private DrillRoutes() {}

  public static final String MAP = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-canary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.5, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-internal-v0, environment: production, tenant_or_cohort: internal, model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-internal-v0,
           owner: tests}
        - {route_version: chat-internal-v1, environment: production, tenant_or_cohort: internal, model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-internal-v0, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
        - {environment: production, tenant_or_cohort: internal, model_alias: chat, route_version: chat-internal-v0}
      """;

  /** {@link #MAP} plus {@code route} (a YAML list entry, e.g. {@code "  - {route_version: ...}\n"}) in its routes. */
  public static String with(String route) {
    return MAP.replace("\nactive:\n", "\n" + route + "active:\n");
  }
}
