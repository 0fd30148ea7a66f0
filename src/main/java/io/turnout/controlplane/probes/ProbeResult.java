package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.Usage;
import io.vertx.core.json.JsonObject;

/**
 * One probe's verdict, as stored in the evidence. Holds no prompt, completion or credential: the
 * detail is built from failure classes, statuses, counts and model ids only.
 *
 * @param name the probe's wire name
 * @param provider the provider probed
 * @param role {@code primary} or {@code fallback}
 * @param errorClass the failure class of the attempt, or null when it was answered
 * @param detail why it passed or failed, sanitized
 * @param providerRequestId the provider's own request id, or null
 * @param usage the usage the provider reported, or null without an answer
 */
public record ProbeResult(String name, String provider, String role, boolean passed, String errorClass, String detail,
    long latencyMs, String providerRequestId, Usage usage) {

  /** The evidence shape. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("provider", provider).put("role", role)
        .put("passed", passed).put("error_class", errorClass).put("detail", detail).put("latency_ms", latencyMs)
        .put("provider_request_id", providerRequestId);
    json.put("usage", usage == null ? null : new JsonObject().put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens()).put("usage_source", usage.source().wireName()));
    return json;
  }
}
