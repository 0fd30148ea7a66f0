package io.turnout.dataplane.routing;

import io.vertx.core.json.JsonObject;
import io.turnout.routes.RouteRole;

/**
 * One provider attempt of a plan, in the order they run.
 *
 * @param provider the configured provider name
 * @param providerModelId the alias's pinned model id to send as {@code model}
 * @param role which of the route's providers this is
 * @param canary true for the fallback attempt that canary selection moved to the front
 */
public record PlannedAttempt(String provider, String providerModelId, RouteRole role, boolean canary) {

  /** For logs and the admin API. */
  public JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("provider_model_id", providerModelId)
        .put("role", role.wireName()).put("canary", canary);
  }
}
