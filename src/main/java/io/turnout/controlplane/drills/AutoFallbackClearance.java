package io.turnout.controlplane.drills;

import io.turnout.controlplane.probes.ProbeCommands;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteMode;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.turnout.routes.RouteVersion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which versions may fail over automatically ({@link AutoFallback}): a version with a
 * fallback route is cleared when its latest probe run passed and a drill of its fallback route
 * (same alias and environment, a canary version on the same fallback provider) completed within
 * {@code drills.auto_fallback.max_age_ms}. Each version's status change is logged once. Run every
 * few seconds and whenever a drill ends.
 */
final class AutoFallbackClearance {

  private static final Logger LOG = LoggerFactory.getLogger(AutoFallbackClearance.class);

  /** How often each member recomputes the clearance. */
  static final long PERIOD_MS = 5_000;

  private final Vertx vertx;
  private final RouteTable routes;
  private final AutoFallback autoFallback;
  private final long maxAgeMs;
  private final Supplier<Future<List<Drill>>> drills;
  private final Clock clock;
  /** Per route version: whether it may fail over automatically, and why (what the admin API shows). */
  private JsonObject status = new JsonObject();

  AutoFallbackClearance(Vertx vertx, RouteTable routes, AutoFallback autoFallback, long maxAgeMs,
      Supplier<Future<List<Drill>>> drills, Clock clock) {
    this.vertx = vertx;
    this.routes = routes;
    this.autoFallback = autoFallback;
    this.maxAgeMs = maxAgeMs;
    this.drills = drills;
    this.clock = clock;
  }

  /** {@code {required, max_age_ms, versions: {<version>: {automatic, reason, probe_run, drill}}}}. */
  JsonObject status() {
    // Operators' overrides are read live from the scopes: overrides, and each version's overridden_in.
    return new JsonObject().put("required", autoFallback.required()).put("max_age_ms", maxAgeMs)
        .mergeIn(autoFallback.withOverrides(status));
  }

  /** Recomputes the clearance now. */
  Future<Void> refresh() {
    RouteSnapshot snapshot = routes.current();
    List<RouteVersion> candidates = snapshot.map().versions().values().stream()
        .filter(v -> v.fallbackProvider() != null
            && (v.mode() == RouteMode.PRIMARY_WITH_FALLBACK || v.mode() == RouteMode.CANARY)).toList();
    long now = clock.millis();
    return drills.get().compose(all -> {
      List<Future<JsonObject>> probes = new ArrayList<>();
      for (RouteVersion v : candidates) {
        probes.add(vertx.eventBus().<JsonObject>request(ProbeCommands.ADDRESS, new JsonObject().put("action", "latest")
            .put("route_version", v.routeVersion())).map(m -> m.body()).otherwise((JsonObject) null));
      }
      return Future.join(probes).transform(ignored -> {
        JsonObject next = new JsonObject();
        Set<String> cleared = new LinkedHashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
          RouteVersion v = candidates.get(i);
          JsonObject probe = probes.get(i).result();
          Drill drill = cleanDrill(snapshot.map(), v, all, now);
          boolean probed = probe != null && probe.getBoolean("passed", false);
          boolean ok = probed && drill != null;
          String reason = ok ? "probe run " + probe.getString("run_id") + " passed; drill " + drill.id() + " complete"
              : (probed ? "" : "no passed probe run; ") + (drill != null ? ""
                  : "no complete drill of its fallback route (" + v.fallbackProvider() + ") within " + maxAgeMs
                      + " ms");
          if (ok) {
            cleared.add(v.routeVersion());
          }
          next.put(v.routeVersion(), new JsonObject().put("automatic", ok || !autoFallback.required())
              .put("reason", autoFallback.required() ? reason.replaceAll("; $", "") : "not required")
              .put("probe_run", probe == null ? null : probe.getString("run_id"))
              .put("drill", drill == null ? null : drill.id()));
        }
        logChanges(next, snapshot);
        autoFallback.clear(cleared);
        status = next;
        return Future.succeededFuture();
      });
    });
  }

  /** The newest complete drill of {@code version}'s fallback route within the configured age, or null. */
  private Drill cleanDrill(RouteMap map, RouteVersion version, List<Drill> drills, long now) {
    Drill newest = null;
    for (Drill drill : drills) {
      RouteVersion canary = map.version(drill.scope().version());
      if (drill.step() != DrillStep.COMPLETE || canary == null || drill.approvals().isEmpty()
          || !version.modelAlias().equals(drill.scope().scope().modelAlias())
          || !version.environment().equals(drill.scope().scope().environment())
          || !version.fallbackProvider().equals(canary.fallbackProvider())) {
        continue;
      }
      long completed = drill.approvals().get(drill.approvals().size() - 1).atMs();
      if (now - completed <= maxAgeMs) {
        newest = drill;
      }
    }
    return newest;
  }

  private void logChanges(JsonObject next, RouteSnapshot snapshot) {
    if (!autoFallback.required()) {
      return;
    }
    Set<String> active = new LinkedHashSet<>(snapshot.pointers().byScope().values());
    next.forEach(entry -> {
      JsonObject now = (JsonObject) entry.getValue();
      JsonObject before = status.getJsonObject(entry.getKey());
      boolean changed = before == null ? active.contains(entry.getKey())
          : before.getBoolean("automatic") != now.getBoolean("automatic").booleanValue();
      if (changed) {
        if (now.getBoolean("automatic")) {
          LOG.info("Route version {} may fail over automatically: {}", entry.getKey(), now.getString("reason"));
        } else {
          LOG.warn("Route version {} fails over to its fallback route only by an operator (manual only): {}",
              entry.getKey(), now.getString("reason"));
        }
      }
    });
  }
}
