package io.turnout.routes;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The event-bus contract of route changes: one address, one JSON shape per event type. Every
 * event carries {@code type}, {@code node} and {@code time} (ISO-8601).
 *
 * <ul>
 *   <li>{@code applied}: a new route map was applied: {@code source}, {@code versions},
 *       {@code pointers} (the active pointers now in force); {@code adopted_from} (a node id)
 *       when this member adopted a revision another member made
 *   <li>{@code rejected}: a route map edit was refused and nothing changed (one event per
 *       refused edit, a deleted, unreadable or oversized file included): {@code file},
 *       {@code path}, {@code reason}, {@code at} (= {@code time})
 *   <li>{@code expired}: an active version passed its {@code expires_at} and the scope reverted
 *       to its rollback version by itself: {@code scope}, {@code from}, {@code to},
 *       {@code expires_at}
 * </ul>
 */
public final class RouteEvents {

  /** Where route events are published. */
  public static final String ADDRESS = "turnout.route.events";

  private RouteEvents() {}

  public static JsonObject applied(RouteSnapshot snapshot, String node, Instant now) {
    return base("applied", node, now)
        .put("source", snapshot.source())
        .put("versions", snapshot.map().versions().size())
        .put("pointers", snapshot.pointers().pointersJson());
  }

  public static JsonObject rejected(String file, String path, String reason, String node, Instant now) {
    return base("rejected", node, now).put("file", file).put("path", path).put("reason", reason)
        .put("at", now.toString());
  }

  public static JsonObject expired(Reversion reversion, String node, Instant now) {
    return base("expired", node, now).mergeIn(reversion.toJson());
  }

  private static JsonObject base(String type, String node, Instant now) {
    return new JsonObject().put("type", type).put("node", node).put("time", now.toString());
  }
}
