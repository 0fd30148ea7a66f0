package io.turnout.controlplane.notify;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code notifications} section: webhooks, and when a member counts as lagging.
 *
 * @param webhooks in file order; none means notifications are off
 * @param laggingAfterMs how long a member's acknowledged route revision may stay behind the
 *     cluster's before {@code member_lagging} is sent
 * @param lagCheckMs how often the oldest member compares the members' acknowledgements
 */
public record NotifyOptions(List<WebhookOptions> webhooks, long laggingAfterMs, long lagCheckMs) {

  public static final long DEFAULT_LAGGING_AFTER_MS = 30_000;
  public static final long DEFAULT_LAG_CHECK_MS = 1_000;
  /** No webhooks: nothing is sent. */
  public static final NotifyOptions NONE = new NotifyOptions(List.of(), DEFAULT_LAGGING_AFTER_MS,
      DEFAULT_LAG_CHECK_MS);

  public NotifyOptions {
    webhooks = List.copyOf(webhooks);
  }

  /** Reads {@code notifications}; an absent section is {@link #NONE}. */
  public static NotifyOptions fromConfig(ConfigNode section, SecretResolver secrets) {
    List<WebhookOptions> webhooks = new ArrayList<>();
    section.children("webhooks").forEach((name, node) -> webhooks.add(WebhookOptions.fromConfig(name, node, secrets)));
    long lagging = section.longValue("lagging_after_ms", DEFAULT_LAGGING_AFTER_MS, 1, 86_400_000);
    long check = section.longValue("lag_check_ms", DEFAULT_LAG_CHECK_MS, 10, 3_600_000);
    section.finish();
    return new NotifyOptions(webhooks, lagging, check);
  }

  /** Whether any webhook is configured. */
  public boolean enabled() {
    return !webhooks.isEmpty();
  }
}
