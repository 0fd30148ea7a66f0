package io.turnout.controlplane.drills;

import io.turnout.routes.ActivePointers;
import io.turnout.routes.FallbackClearance;
import io.turnout.routes.RouteTable;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Whether a scope may fail over to its fallback route automatically, on errors, without an
 * operator (runbook FAQ: "Automatic fallback can be useful, but only after manual drills prove the
 * route is safe"). Read by the data plane on every failover (a volatile read and a set lookup);
 * the set of versions cleared for it is recomputed by the drill verticle from probe evidence and
 * drill records. An operator's override on a scope (audited) clears it too.
 */
public final class AutoFallback implements FallbackClearance {

  /** Automatic fallback without any drill on record (tools, tests and demos that ask for it). */
  public static AutoFallback unrestricted(RouteTable routes) {
    return new AutoFallback(routes, false);
  }

  private final RouteTable routes;
  private final boolean required;
  private volatile Set<String> cleared = Set.of();

  /** @param required whether a drill on record is required at all ({@code drills.auto_fallback.require_drill}) */
  public AutoFallback(RouteTable routes, boolean required) {
    this.routes = routes;
    this.required = required;
  }

  public boolean required() {
    return required;
  }

  @Override
  public boolean allows(ScopeKey scope, String routeVersion) {
    return !required || cleared.contains(routeVersion)
        || routes.current().pointers().control(scope).autoFallbackOverride() != null;
  }

  /**
   * {@code status} (the drill verticle's per-version clearance) with the operators' overrides in
   * force: each overridden scope under {@code overrides} ({@code scope}, {@code route_version},
   * {@code override}: who and why), and under each version the scopes where an override lets it fail
   * over automatically although it is not cleared by a drill ({@code overridden_in}).
   */
  public JsonObject withOverrides(JsonObject status) {
    JsonObject versions = status.copy();
    JsonArray overrides = new JsonArray();
    ActivePointers pointers = routes.current().pointers();
    pointers.byScope().forEach((scope, version) -> {
      String override = pointers.control(scope).autoFallbackOverride();
      if (override == null) {
        return;
      }
      overrides.add(new JsonObject().put("scope", scope.toString()).put("route_version", version)
          .put("override", override));
      JsonObject entry = versions.getJsonObject(version);
      if (entry != null) {
        JsonArray in = entry.getJsonArray("overridden_in", new JsonArray());
        entry.put("overridden_in", in.add(scope.toString()));
      }
    });
    return new JsonObject().put("versions", versions).put("overrides", overrides);
  }

  /** The versions cleared for automatic fallback now. */
  Set<String> cleared() {
    return cleared;
  }

  void clear(Set<String> versions) {
    cleared = Set.copyOf(versions);
  }
}
