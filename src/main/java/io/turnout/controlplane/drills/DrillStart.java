package io.turnout.controlplane.drills;

import io.turnout.controlplane.CommandRefusal;
import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteMode;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeKey;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Starting a drill, pure: the command is checked against the route map in force and the drills
 * running, and a drill that cannot prove anything is refused (400 with the field at fault): an
 * unknown version, a version that is already the scope's, a canary version without a fallback
 * route, a scope without a version to return to.
 */
public final class DrillStart {

  /**
   * An operator's request to start a drill (fields as sent, possibly null).
   *
   * @param environment the scope's environment (the node's own when the request names none)
   * @param tenantOrCohort the scope's cohort ({@code *} when the request names none)
   */
  public record Start(String operator, String reason, String environment, String tenantOrCohort, String modelAlias,
      String canaryVersion, String internalVersion, String internalCohort) {}

  private DrillStart() {}

  /** A new drill id: {@code drill-<yyyyMMddHHmmss>-<6 random hex digits>}. */
  static String newId(java.time.Clock clock) {
    return "drill-" + clock.instant().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-"
        + java.util.UUID.randomUUID().toString().substring(0, 6);
  }

  /**
   * The new drill, at {@code prepared}, and what to publish; refused when it could prove nothing
   * or another drill runs on one of its scopes.
   *
   * @param baseline measures the scopes' error rate before {@code nowMs}
   */
  public static Decision decide(Start start, RouteMap map, ActivePointers pointers, List<Drill> running, String id,
      long nowMs, Function<Set<ScopeKey>, Baseline> baseline) {
    String reason = text(start.reason(), "reason");
    String alias = text(start.modelAlias(), "model_alias");
    String canary = text(start.canaryVersion(), "canary_version");
    ScopeKey scope = new ScopeKey(start.environment(), start.tenantOrCohort() == null ? ScopeKey.ANY_COHORT
        : start.tenantOrCohort(), alias);
    DrillScope main = drilled(map, pointers, scope, canary, "canary_version", nowMs);
    DrillScope internal = null;
    if (start.internalVersion() != null) {
      ScopeKey cohort = new ScopeKey(start.environment(), start.internalCohort() == null ? "internal"
          : start.internalCohort(), alias);
      internal = drilled(map, pointers, cohort, text(start.internalVersion(), "internal_version"), "internal_version",
          nowMs);
    }
    Drill drill = new Drill(id, main, internal, probeVersions(map, main, internal), nowMs, start.operator(), reason,
        DrillStep.PREPARED, DrillStatus.AWAITING_APPROVAL, null, null, nowMs, List.of(), List.of(),
        new Baseline(0, 0, 0, false), List.of(), null, null, null, null, null);
    for (Drill other : running) {
      if (!other.finished() && !Collections.disjoint(other.scopes(), drill.scopes())) {
        throw CommandRefusal.conflict("scope_in_drill", "drill " + other.id() + " is still running on "
            + other.scopes());
      }
    }
    DrillScope internalScope = internal;
    Drill started = drill.with(c -> {
      c.baseline = baseline.apply(drill.scopes());
      c.approvals.add(new Approval(DrillStep.PREPARED, start.operator(), reason, nowMs, true,
          "drill started at 0% on the fallback route; " + canary + " to be tested against " + main.previous()
              + (internalScope == null ? "" : "; the internal cohort's " + internalScope.version() + " against "
                  + internalScope.previous())));
      return c;
    });
    return new Decision(started, List.of(new DrillEffect.Publish(started, "started"),
        new DrillEffect.WriteReport(started)));
  }

  /** The scope's drill: refused unless {@code version} could be activated there and exercises a fallback route. */
  private static DrillScope drilled(RouteMap map, ActivePointers pointers, ScopeKey scope, String version,
      String field, long nowMs) {
    String previous = pointers.get(scope);
    if (previous == null) {
      throw CommandRefusal.invalid(field.equals("canary_version") ? "tenant_or_cohort" : "internal_cohort",
          "scope " + scope + " has no active version to return to" + (field.equals("canary_version") ? ""
              : ": give the internal cohort a pointer first"));
    }
    try {
      map.checkActivation(scope, version, Instant.ofEpochMilli(nowMs));
    } catch (IllegalArgumentException e) {
      throw CommandRefusal.invalid(field, e.getMessage());
    }
    if (version.equals(previous)) {
      throw CommandRefusal.invalid(field, "scope " + scope + " already serves " + version + ": nothing to drill");
    }
    RouteVersion v = map.version(version);
    if (v.fallbackProvider() == null || v.mode() == RouteMode.PRIMARY_ONLY || v.mode() == RouteMode.DISABLED) {
      throw CommandRefusal.invalid(field, "route version " + version + " puts no traffic on a fallback route (mode "
          + v.mode().wireName() + (v.fallbackProvider() == null ? ", no fallback_provider" : "")
          + "): a drill of it would prove nothing");
    }
    return new DrillScope(scope, version, previous);
  }

  /** The drill's versions, the versions they return to, and those versions' rollback versions. */
  private static List<String> probeVersions(RouteMap map, DrillScope main, DrillScope internal) {
    Set<String> versions = new LinkedHashSet<>();
    versions.add(main.version());
    versions.add(main.previous());
    if (internal != null) {
      versions.add(internal.version());
      versions.add(internal.previous());
    }
    for (String v : List.copyOf(versions)) {
      RouteVersion version = map.version(v);
      if (version != null) {
        versions.add(version.rollbackRouteVersion());
      }
    }
    return List.copyOf(versions);
  }

  private static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      throw CommandRefusal.invalid(field, "'" + field + "' is required");
    }
    return value;
  }
}
