package io.turnout.controlplane.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** {@code turnout_webhook_deliveries_total{webhook, outcome}} for one webhook, every outcome at 0 from the start. */
final class WebhookMetrics {

  /** The meter's name (Prometheus: {@code turnout_webhook_deliveries_total}). */
  static final String DELIVERIES = "turnout.webhook.deliveries";

  /** What happened to a notification (or one attempt of it, for {@code retried}). */
  enum Outcome { DELIVERED, FAILED, DROPPED, RETRIED }

  private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

  WebhookMetrics(MeterRegistry registry, String webhook) {
    for (Outcome outcome : Outcome.values()) {
      counters.put(outcome, Counter.builder(DELIVERIES)
          .description("Webhook notifications by outcome: delivered, failed (gave up or refused), dropped (queue"
              + " full, oldest first), retried (one per retry scheduled)")
          .tag("webhook", webhook).tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
    }
  }

  void count(Outcome outcome) {
    counters.get(outcome).increment();
  }
}
