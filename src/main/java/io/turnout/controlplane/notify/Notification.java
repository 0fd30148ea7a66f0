package io.turnout.controlplane.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One thing to tell the on-call, before it is shaped for a webhook ({@link Payloads}). It carries
 * control-plane facts only: never prompts, completions, keys or secrets.
 *
 * @param id unique per notification, the same on every retry (receivers may de-duplicate on it)
 * @param node the member the event happened on (the one that delivers it)
 * @param scope {@code environment/tenant_or_cohort/model_alias}, or null when the event has none
 * @param summary one line for a human
 * @param details the event's facts, by name
 */
public record Notification(String id, NotifyEvent event, Instant at, String node, String scope, String summary,
    JsonObject details) {

  public Notification {
    details = details == null ? new JsonObject() : details.copy();
  }
}
