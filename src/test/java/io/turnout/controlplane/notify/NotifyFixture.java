package io.turnout.controlplane.notify;

import io.turnout.testing.Sim;
import io.turnout.testing.TestNode;

/** Route maps and config sections the notification end-to-end tests share. */
final class NotifyFixture {

  private NotifyFixture() {}

  /** chat-v1 (primary) active; chat-comet fails over to cometapi; chat-canary for drills. */
  static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18, cometapi: gpt-4o-mini}, rollback_target: chat-v1}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 30000, rollback_route_version: chat-v1,
           owner: tests}
        - {route_version: chat-comet, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: fallback_only, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, rollback_route_version: chat-v1, owner: tests}
        - {route_version: chat-canary, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: canary, canary_share: 0.5, primary_provider: primary, fallback_provider: cometapi, timeout_ms: 30000,
           retry_policy: {max_retries: 0}, fallback_on: [upstream_5xx], rollback_route_version: chat-v1,
           owner: tests}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  /** The runbook's 5xx gate on fallback attempts, evaluated every 100 ms, acting by a rollback. */
  static final String GATES = """
      gates:
        tick_ms: 100
        bucket_ms: 500
        rules:
          - {name: fallback_5xx, signal: upstream_5xx_rate, above: 0.02, window_ms: 60000, min_samples: 20,
             action: rollback}
      """;

  /** A node's turnout.yaml: the simulator's providers, the gate, operator alice, and the given webhooks. */
  static String yaml(Sim sim, String notifications) {
    return TestNode.config(sim, 2_000, 2_000, 5_000) + GATES + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n"
        + notifications;
  }

  /** A {@code notifications} section with one webhook. */
  static String webhook(String name, String url, String extra) {
    return "notifications:\n  webhooks:\n    " + name + ": {url: \"" + url + "\", backoff_ms: 5" + extra + "}\n";
  }
}
