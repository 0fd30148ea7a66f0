package io.turnout.dataplane.observability;

/**
 * A route map for the observability tests: every mode whose log line or metrics differ.
 *
 * <ul>
 *   <li>{@code chat-primary}: primary only, no retries, 30 s ({@code primary-v1});
 *   <li>{@code chat-claude}: the Anthropic contract, primary only ({@code claude-v1});
 *   <li>{@code chat-fb}: primary then fallback to cometapi with the default retry policy (one
 *       retry) and fallback classes, 20 s ({@code fb-v1});
 *   <li>{@code chat-fbonly}: the fallback route (cometapi) only, no retries, 15 s
 *       ({@code fbonly-v1}).
 * </ul>
 */
public final class ObservedRoutes {

  public static final String MAP = """
      aliases:
        chat-primary: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: primary-v1}
        chat-claude: {provider_models: {claude: claude-sonnet-4-5-20250929}, rollback_target: claude-v1}
        chat-fb: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: fb-v1}
        chat-fbonly: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini},
                      rollback_target: fbonly-v1}
      routes:
        - {route_version: primary-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-primary,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: primary-v1,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream, tools, tool_choice, stop, seed]}
        - {route_version: claude-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-claude,
           mode: primary_only, primary_provider: claude, timeout_ms: 30000, rollback_route_version: claude-v1,
           owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}
        - {route_version: fb-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-fb,
           mode: primary_with_fallback, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 20000,
           rollback_route_version: fb-v1, owner: tests, enabled_features: [stream]}
        - {route_version: fbonly-v1, environment: production, tenant_or_cohort: "*", model_alias: chat-fbonly,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 15000,
           rollback_route_version: fbonly-v1, owner: tests, retry_policy: {max_retries: 0}, enabled_features: [stream]}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-primary, route_version: primary-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-claude, route_version: claude-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-fb, route_version: fb-v1}
        - {environment: production, tenant_or_cohort: "*", model_alias: chat-fbonly, route_version: fbonly-v1}
      """;

  private ObservedRoutes() {}
}
