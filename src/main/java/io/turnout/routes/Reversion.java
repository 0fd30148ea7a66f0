package io.turnout.routes;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A pointer moved by expiry, without an operator: publish it ("reverted by itself") so the
 * change is as visible as a manual rollback.
 *
 * @param scope the scope whose pointer moved
 * @param from the expired version it pointed at
 * @param to the version it points at now (the end of the rollback chain)
 * @param expiresAt when {@code from} expired
 */
public record Reversion(ScopeKey scope, String from, String to, Instant expiresAt) {

  /** For the event bus and the admin API. */
  public JsonObject toJson() {
    return scope.toJson().put("from", from).put("to", to).put("expires_at", expiresAt.toString());
  }
}
