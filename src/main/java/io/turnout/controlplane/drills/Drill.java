package io.turnout.controlplane.drills;

import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A drill's whole state: what it tests, where it stands, and what it recorded. Immutable; the
 * {@link DrillMachine} derives the next state, and {@link #toJson()} is the one JSON form, both of
 * the cluster-wide map entry and of the admin API (which adds {@code evidence}).
 *
 * @param scope the drilled scope, its canary version and the version it returns to
 * @param internal the internal cohort's scope, version and previous version, or null
 * @param probeVersions the versions the probes step runs (fixed at start)
 * @param blockedReason why the last step did not pass, or null
 * @param claim the member running a step now, or null
 * @param phaseStartedMs when the current step's phase began
 * @param approvals every step approved, in order (the start first)
 * @param rollback the decision to return traffic, or null
 * @param abort how the drill was aborted, or null
 */
public record Drill(String id, DrillScope scope, DrillScope internal, List<String> probeVersions, long startedMs,
    String startedBy, String reason, DrillStep step, DrillStatus status, String blockedReason, Claim claim,
    long phaseStartedMs, List<RouteChange> routeChanges, List<Phase> phases, Baseline baseline,
    List<Approval> approvals, RollbackDecision rollback, AbortRecord abort, List<ProbeRun> probeRuns,
    List<RollbackChecks.Check> drainChecks, List<RollbackChecks.Check> cleanChecks) {

  public Drill {
    probeVersions = List.copyOf(probeVersions);
    routeChanges = List.copyOf(routeChanges);
    phases = List.copyOf(phases);
    approvals = List.copyOf(approvals);
    probeRuns = probeRuns == null ? null : List.copyOf(probeRuns);
    drainChecks = drainChecks == null ? null : List.copyOf(drainChecks);
    cleanChecks = cleanChecks == null ? null : List.copyOf(cleanChecks);
  }

  /** Every scope the drill may move: the scope and the internal cohort's. */
  public Set<ScopeKey> scopes() {
    Set<ScopeKey> scopes = new LinkedHashSet<>();
    scopes.add(scope.scope());
    if (internal != null) {
      scopes.add(internal.scope());
    }
    return scopes;
  }

  public boolean finished() {
    return step.finished();
  }

  /** The versions the fallback route is on during the drill: the canary and internal versions. */
  Set<String> fallbackVersions() {
    Set<String> versions = new LinkedHashSet<>();
    versions.add(scope.version());
    if (internal != null) {
      versions.add(internal.version());
    }
    return versions;
  }

  /**
   * The step the next approval runs: the next one after a passed step, the same one for a blocked
   * drill (and for a running one that was blocked); null once the drill has ended.
   */
  public DrillStep nextStep() {
    if (finished()) {
      return null;
    }
    DrillStatus before = status == DrillStatus.RUNNING && claim != null ? claim.from() : status;
    return before == DrillStatus.BLOCKED ? step : step.next();
  }

  /** A copy with some fields changed, for the machine. */
  Drill with(Function<Change, Change> edit) {
    return edit.apply(new Change(this)).build();
  }

  /** The drill's JSON: the map entry and the admin API's drill. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("scope", scope.scope().toJson())
        .put("canary_version", scope.version()).put("previous_version", scope.previous());
    if (internal != null) {
      json.put("internal", internal.toJson());
    }
    json.put("probe_versions", new JsonArray(new ArrayList<>(probeVersions)))
        .put("started_at", Instant.ofEpochMilli(startedMs).toString()).put("started_ms", startedMs)
        .put("started_by", startedBy).put("reason", reason).put("step", step.wireName())
        .put("status", status.wireName());
    if (blockedReason != null) {
      json.put("blocked_reason", blockedReason);
    }
    if (claim != null) {
      claim.putInto(json);
    }
    DrillStep next = nextStep();
    json.put("next_step", next == null ? null : next.wireName())
        .put("next_step_checks", new JsonArray(new ArrayList<>(NextStepChecks.of(this))))
        .put("phase_started_ms", phaseStartedMs)
        .put("route_changes", list(routeChanges, RouteChange::toJson))
        .put("phases", list(phases, Phase::toJson))
        .put("baseline", baseline.toJson())
        .put("steps", list(approvals, Approval::toJson));
    if (rollback != null) {
      json.put("rollback", rollback.toJson());
    }
    if (abort != null) {
      json.put("abort", abort.toJson());
    }
    if (probeRuns != null) {
      json.put("probe_runs", list(probeRuns, ProbeRun::toJson));
    }
    if (drainChecks != null) {
      json.put("drain_checks", list(drainChecks, RollbackChecks.Check::toJson));
    }
    if (cleanChecks != null) {
      json.put("clean_checks", list(cleanChecks, RollbackChecks.Check::toJson));
    }
    return json;
  }

  /** What {@code GET /admin/drills} lists: {@code id, scope, step, status, next_step, started_at}. */
  public JsonObject summaryJson() {
    DrillStep next = nextStep();
    return new JsonObject().put("id", id).put("scope", scope.scope().toJson()).put("step", step.wireName())
        .put("status", status.wireName()).put("next_step", next == null ? null : next.wireName())
        .put("started_at", Instant.ofEpochMilli(startedMs).toString());
  }

  /** Reads {@link #toJson()}; computed fields ({@code next_step}, ...) are ignored. */
  public static Drill fromJson(JsonObject json) {
    DrillScope scope = new DrillScope(ScopeKey.fromJson(json.getJsonObject("scope")),
        json.getString("canary_version"), json.getString("previous_version"));
    long started = json.containsKey("started_ms") ? json.getLong("started_ms")
        : Instant.parse(json.getString("started_at")).toEpochMilli();
    return new Drill(json.getString("id"), scope, DrillScope.fromJson(json.getJsonObject("internal")),
        strings(json.getJsonArray("probe_versions")), started, json.getString("started_by"),
        json.getString("reason"), DrillStep.fromWireName(json.getString("step")),
        DrillStatus.fromWireName(json.getString("status")), json.getString("blocked_reason"), Claim.fromDrill(json),
        json.getLong("phase_started_ms", started), read(json.getJsonArray("route_changes"), RouteChange::fromJson),
        read(json.getJsonArray("phases"), Phase::fromJson), Baseline.fromJson(json.getJsonObject("baseline",
            new JsonObject())), read(json.getJsonArray("steps"), Approval::fromJson),
        RollbackDecision.fromJson(json.getJsonObject("rollback")), AbortRecord.fromJson(json.getJsonObject("abort")),
        json.containsKey("probe_runs") ? read(json.getJsonArray("probe_runs"), ProbeRun::fromJson) : null,
        json.containsKey("drain_checks") ? read(json.getJsonArray("drain_checks"), RollbackChecks.Check::fromJson)
            : null,
        json.containsKey("clean_checks") ? read(json.getJsonArray("clean_checks"), RollbackChecks.Check::fromJson)
            : null);
  }

  private static <T> JsonArray list(List<T> items, Function<T, JsonObject> toJson) {
    JsonArray array = new JsonArray();
    items.forEach(i -> array.add(toJson.apply(i)));
    return array;
  }

  private static <T> List<T> read(JsonArray array, Function<JsonObject, T> fromJson) {
    List<T> items = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        items.add(fromJson.apply(array.getJsonObject(i)));
      }
    }
    return items;
  }

  private static List<String> strings(JsonArray array) {
    List<String> items = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> items.add(String.valueOf(v)));
    }
    return items;
  }

  /** A mutable copy of a drill's fields, for {@link #with}. */
  static final class Change {
    String id;
    DrillScope scope;
    DrillScope internal;
    List<String> probeVersions;
    long startedMs;
    String startedBy;
    String reason;
    DrillStep step;
    DrillStatus status;
    String blockedReason;
    Claim claim;
    long phaseStartedMs;
    List<RouteChange> routeChanges;
    List<Phase> phases;
    Baseline baseline;
    List<Approval> approvals;
    RollbackDecision rollback;
    AbortRecord abort;
    List<ProbeRun> probeRuns;
    List<RollbackChecks.Check> drainChecks;
    List<RollbackChecks.Check> cleanChecks;

    Change(Drill d) {
      id = d.id;
      scope = d.scope;
      internal = d.internal;
      probeVersions = d.probeVersions;
      startedMs = d.startedMs;
      startedBy = d.startedBy;
      reason = d.reason;
      step = d.step;
      status = d.status;
      blockedReason = d.blockedReason;
      claim = d.claim;
      phaseStartedMs = d.phaseStartedMs;
      routeChanges = new ArrayList<>(d.routeChanges);
      phases = new ArrayList<>(d.phases);
      baseline = d.baseline;
      approvals = new ArrayList<>(d.approvals);
      rollback = d.rollback;
      abort = d.abort;
      probeRuns = d.probeRuns;
      drainChecks = d.drainChecks;
      cleanChecks = d.cleanChecks;
    }

    Drill build() {
      return new Drill(id, scope, internal, probeVersions, startedMs, startedBy, reason, step, status, blockedReason,
          claim, phaseStartedMs, routeChanges, phases, baseline, approvals, rollback, abort, probeRuns, drainChecks,
          cleanChecks);
    }
  }
}
