package io.turnout.controlplane.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The cluster's history on request ({@code GET /admin/audit?cluster=true}): every member answers
 * with the newest entries of its own audit log on a clustered address of its own; the asking member
 * merges them ({@link AuditMerge}). A member that does not answer within {@link #TIMEOUT_MS} is
 * named {@code unreachable}; the history is then what the others' logs hold (every member audits
 * every change it applies, so one reachable member that was up holds the whole of it).
 */
public final class ClusterAudit {

  /** How long the asking member waits for each member's log. */
  public static final long TIMEOUT_MS = 2_000;
  private static final String ADDRESS_PREFIX = "turnout.audit.member.";

  private final Vertx vertx;
  private final String nodeId;
  private final Function<Integer, Future<List<JsonObject>>> tail;

  /** @param tail this member's newest N entries (read off the event loop) */
  public ClusterAudit(Vertx vertx, String nodeId, Function<Integer, Future<List<JsonObject>>> tail) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.tail = tail;
  }

  /** Answers other members' requests for this member's log. */
  public Future<Void> register() {
    return vertx.eventBus().<JsonObject>consumer(ADDRESS_PREFIX + nodeId, request -> tail
        .apply(request.body().getInteger("limit", 100))
        .onSuccess(entries -> request.reply(new JsonObject().put("entries", new JsonArray(new ArrayList<>(entries)))))
        .onFailure(e -> request.fail(500, "audit log not readable: " + e.getMessage()))).completion();
  }

  /**
   * The merged history of {@code members} (this one included): {@code {entries, members: {name:
   * entries read | "unreachable"}}}.
   */
  public Future<JsonObject> gather(Set<String> members, int limit) {
    Map<String, Future<List<JsonObject>>> asked = new LinkedHashMap<>();
    asked.put(nodeId, tail.apply(limit));
    DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);
    for (String member : members) {
      if (!member.equals(nodeId)) {
        asked.put(member, vertx.eventBus().<JsonObject>request(ADDRESS_PREFIX + member,
            new JsonObject().put("limit", limit), timeout).map(reply -> entries(reply.body())));
      }
    }
    return Future.join(new ArrayList<>(asked.values())).transform(ignored -> {
      Map<String, List<JsonObject>> logs = new LinkedHashMap<>();
      JsonObject status = new JsonObject();
      asked.forEach((member, log) -> {
        if (log.succeeded()) {
          logs.put(member, log.result());
          status.put(member, log.result().size());
        } else {
          status.put(member, "unreachable");
        }
      });
      return Future.succeededFuture(new JsonObject()
          .put("entries", new JsonArray(new ArrayList<>(AuditMerge.merge(logs, limit)))).put("members", status));
    });
  }

  private static List<JsonObject> entries(JsonObject body) {
    List<JsonObject> entries = new ArrayList<>();
    body.getJsonArray("entries", new JsonArray()).forEach(e -> entries.add((JsonObject) e));
    return entries;
  }
}
