package io.turnout.testing;

/** The route maps the cluster tests run on: one alias, {@code chat}, on chat-v1 (primary only). */
public final class ClusterRoutes {

  private ClusterRoutes() {}

  /** chat-v1 (primary only, a baseline) and chat-v2 (fallback only); chat-v1 active. */
  public static final String MAP = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           rollback_route_version: chat-v1, owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  /** {@link #MAP} and chat-off (disabled); chat-v1 active. */
  public static final String WITH_DISABLED = MAP.replace("\nactive:", "\n"
      + "  - {route_version: chat-off, environment: production, tenant_or_cohort: \"*\", model_alias: chat,\n"
      + "     mode: disabled, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,\n"
      + "     owner: tests, disabled_reason: \"taken out of service by the test\"}\n"
      + "active:");
}
