package io.turnout.controlplane.audit;

import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteMap;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings back the pointers in force before the node stopped, from the audit log: the newest
 * route change's pointers (an entry without pointers, such as a secret rotation, is passed over),
 * at the highest revision the log holds, so revisions never go backwards across a restart. A
 * pointer whose version the map no longer has, or that cannot serve its scope, falls back to the
 * map's own. What the route map file says is not judged here: an edit made while the node was
 * down is applied after start, as a diff against the file's last applied copy, and audited as any
 * edit. Pure: entries and map in, pointers out.
 */
public final class AuditRestore {

  /** The pointers to start with, and why. */
  public record Outcome(ActivePointers pointers, boolean restored, String note) {}

  private AuditRestore() {}

  public static Outcome pointers(RouteMap map, List<JsonObject> entries) {
    ActivePointers own = map.active();
    JsonObject last = null;
    long revision = 0;
    for (JsonObject entry : entries) {
      revision = Math.max(revision, entry.getLong("revision", 0L));
      if (entry.getValue("pointers") instanceof JsonArray) {
        last = entry;
      }
    }
    if (last == null) {
      return new Outcome(revision == 0 ? own : new ActivePointers(revision, own.byScope(), own.controls()), false,
          "no audited route change");
    }
    ActivePointers recorded;
    try {
      recorded = ActivePointers.fromJson(new JsonObject().put("revision", revision)
          .put("pointers", last.getJsonArray("pointers")));
    } catch (RuntimeException unreadable) {
      return new Outcome(new ActivePointers(revision, own.byScope(), own.controls()), false,
          "the newest audited route change has no readable pointers");
    }
    Map<ScopeKey, String> kept = new LinkedHashMap<>();
    recorded.byScope().forEach((scope, version) -> {
      try {
        // Expiry is not judged here: an expired version is moved on by the route table at start.
        map.checkActivation(scope, version, Instant.MIN);
        kept.put(scope, version);
      } catch (IllegalArgumentException gone) {
        String fallback = own.get(scope);
        if (fallback != null) {
          kept.put(scope, fallback);
        }
      }
    });
    own.byScope().forEach(kept::putIfAbsent);
    Map<ScopeKey, ScopeControl> controls = new LinkedHashMap<>();
    kept.forEach((scope, version) -> {
      if (version.equals(recorded.get(scope))) {
        controls.put(scope, recorded.control(scope));
      }
    });
    return new Outcome(new ActivePointers(revision, kept, controls), true,
        "restored revision " + revision + " from the audit log");
  }
}
