package io.turnout.drills;

import io.turnout.control.RouteCommands;
import io.turnout.drain.ReferencedProviders;
import io.turnout.gates.ClusterSignals;
import io.turnout.gates.LatestSignals;
import io.turnout.gates.SignalCounts;
import io.turnout.probes.ProbeCommands;
import io.turnout.routing.RouteEvents;
import io.turnout.routing.RouteMap;
import io.turnout.routing.RouteSnapshot;
import io.turnout.routing.RouteTable;
import io.turnout.routing.RouteVersion;
import io.turnout.routing.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cutover drills (runbook section 3): a state machine per scope whose every step needs an
 * operator's approval, that moves traffic only through the route control plane (so each move is
 * compare-and-set, audited and applied by every member), runs probes, checks that the rollback was
 * clean before re-enabling, and aborts when a gate acts on its scopes. Drill state is cluster-wide
 * ({@link DrillStore}); any member serves any drill. Evidence comes from the gates' cluster-wide
 * signals, phase by phase, and the report is served and written to {@code drills.report_dir}.
 */
public final class DrillVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DrillVerticle.class);

  private final DrillOptions options;
  private final RouteTable routes;
  private final LatestSignals signals;
  private final AutoFallback autoFallback;
  /** Per route version: whether it may fail over automatically, and why (what the admin API shows). */
  private JsonObject autoFallbackStatus = new JsonObject();
  private final long bucketMs;
  private final long horizonMs;
  private final String environment;
  private final String nodeId;
  private final Clock clock;
  private DrillStore store;

  /**
   * @param bucketMs the gates' bucket width
   * @param horizonMs how long the gates' windows keep buckets
   */
  public DrillVerticle(DrillOptions options, RouteTable routes, LatestSignals signals, AutoFallback autoFallback,
      long bucketMs, long horizonMs, String environment, String nodeId, Clock clock) {
    this.options = options;
    this.routes = routes;
    this.signals = signals;
    this.autoFallback = autoFallback;
    this.bucketMs = bucketMs;
    this.horizonMs = horizonMs;
    this.environment = environment;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    store = new DrillStore(vertx, nodeId);
    Future<?> commands = vertx.eventBus().<JsonObject>localConsumer(DrillCommands.ADDRESS, this::onCommand)
        .completion();
    Future<?> gates = vertx.eventBus().<JsonObject>consumer(RouteEvents.ADDRESS, m -> {
      if ("gate_action".equals(m.body().getString("type"))) {
        onGateAction(m.body());
      }
    }).completion();
    vertx.setPeriodic(AUTO_FALLBACK_CHECK_MS, id -> clearAutoFallback());
    return Future.all(commands, gates).compose(v -> clearAutoFallback().otherwiseEmpty());
  }

  private static final long AUTO_FALLBACK_CHECK_MS = 5_000;

  /**
   * Recomputes which versions may fail over automatically: a version with a fallback route is
   * cleared when its latest probe run passed and a drill of its fallback route (same alias and
   * environment, a canary version on the same fallback provider) completed within
   * {@code drills.auto_fallback.max_age_ms}. Each version's status change is logged once.
   */
  private Future<Void> clearAutoFallback() {
    RouteSnapshot snapshot = routes.current();
    List<RouteVersion> candidates = snapshot.map().versions().values().stream()
        .filter(v -> v.fallbackProvider() != null && (v.mode() == io.turnout.routing.RouteMode.PRIMARY_WITH_FALLBACK
            || v.mode() == io.turnout.routing.RouteMode.CANARY)).toList();
    long now = clock.millis();
    return store.all().compose(drills -> {
      List<Future<JsonObject>> probes = new ArrayList<>();
      for (RouteVersion v : candidates) {
        probes.add(vertx.eventBus().<JsonObject>request(ProbeCommands.ADDRESS, new JsonObject().put("action", "latest")
            .put("route_version", v.routeVersion())).map(m -> m.body()).otherwise((JsonObject) null));
      }
      return Future.join(probes).transform(ignored -> {
        JsonObject status = new JsonObject();
        Set<String> cleared = new LinkedHashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
          RouteVersion v = candidates.get(i);
          JsonObject probe = probes.get(i).result();
          JsonObject drill = cleanDrill(snapshot.map(), v, drills, now);
          boolean probed = probe != null && probe.getBoolean("passed", false);
          boolean ok = probed && drill != null;
          String reason = ok ? "probe run " + probe.getString("run_id") + " passed; drill " + drill.getString("id")
              + " complete" : (probed ? "" : "no passed probe run; ") + (drill != null ? ""
              : "no complete drill of its fallback route (" + v.fallbackProvider() + ") within "
                  + options.autoFallbackMaxAgeMs() + " ms");
          if (ok) {
            cleared.add(v.routeVersion());
          }
          status.put(v.routeVersion(), new JsonObject().put("automatic", ok || !autoFallback.required())
              .put("reason", autoFallback.required() ? reason.replaceAll("; $", "") : "not required")
              .put("probe_run", probe == null ? null : probe.getString("run_id"))
              .put("drill", drill == null ? null : drill.getString("id")));
        }
        logAutoFallbackChanges(status, snapshot);
        autoFallback.clear(cleared);
        autoFallbackStatus = status;
        return Future.succeededFuture();
      });
    });
  }

  /** The newest complete drill of {@code version}'s fallback route within the configured age, or null. */
  private JsonObject cleanDrill(RouteMap map, RouteVersion version, List<JsonObject> drills, long now) {
    JsonObject newest = null;
    for (JsonObject drill : drills) {
      JsonObject scope = drill.getJsonObject("scope");
      RouteVersion canary = map.version(drill.getString("canary_version"));
      JsonArray steps = drill.getJsonArray("steps", new JsonArray());
      if (!DrillStep.COMPLETE.wireName().equals(drill.getString("step")) || canary == null || steps.isEmpty()
          || !version.modelAlias().equals(scope.getString("model_alias"))
          || !version.environment().equals(scope.getString("environment"))
          || !version.fallbackProvider().equals(canary.fallbackProvider())) {
        continue;
      }
      long completed = Instant.parse(steps.getJsonObject(steps.size() - 1).getString("at")).toEpochMilli();
      if (now - completed <= options.autoFallbackMaxAgeMs()) {
        newest = drill;
      }
    }
    return newest;
  }

  private void logAutoFallbackChanges(JsonObject status, RouteSnapshot snapshot) {
    if (!autoFallback.required()) {
      return;
    }
    Set<String> active = new LinkedHashSet<>(snapshot.pointers().byScope().values());
    status.forEach(entry -> {
      JsonObject now = (JsonObject) entry.getValue();
      JsonObject before = autoFallbackStatus.getJsonObject(entry.getKey());
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

  private void onCommand(Message<JsonObject> message) {
    JsonObject command = message.body();
    String action = command.getString("action", "");
    Future<JsonObject> result;
    try {
      result = switch (action) {
        case "start" -> start(command);
        case "advance" -> change(text(command, "id"), drill -> advance(drill, command));
        case "abort" -> change(text(command, "id"), drill -> abort(drill, command.getString("operator"),
            requireReason(command), true));
        case "get" -> read(text(command, "id")).map(this::withEvidence);
        case "report" -> read(text(command, "id")).map(d -> new JsonObject().put("html",
            DrillReport.html(withEvidence(d))));
        case "auto_fallback" -> Future.succeededFuture(new JsonObject().put("required", autoFallback.required())
            .put("max_age_ms", options.autoFallbackMaxAgeMs()).put("versions", autoFallbackStatus.copy()));
        case "list" -> store.all().map(list -> {
          JsonArray drills = new JsonArray();
          list.forEach(d -> drills.add(new JsonObject().put("id", d.getString("id")).put("scope", d.getJsonObject(
              "scope")).put("step", d.getString("step")).put("status", d.getString("status"))
              .put("started_at", d.getString("started_at"))));
          return new JsonObject().put("drills", drills);
        });
        default -> Future.failedFuture(new DrillRefused(400, "unknown action '" + action + "'"));
      };
    } catch (DrillRefused refused) {
      result = Future.failedFuture(refused);
    }
    result.onSuccess(message::reply).onFailure(t -> message.fail(t instanceof DrillRefused r ? r.status : 500,
        t.getMessage()));
  }

  // --- start ---

  private Future<JsonObject> start(JsonObject command) {
    String operator = command.getString("operator");
    String reason = requireReason(command);
    String env = command.getString("environment", environment);
    String alias = text(command, "model_alias");
    ScopeKey scope = new ScopeKey(env, command.getString("tenant_or_cohort", ScopeKey.ANY_COHORT), alias);
    RouteSnapshot now = routes.current();
    String previous = now.pointers().get(scope);
    if (previous == null) {
      throw new DrillRefused(400, "scope " + scope + " has no active version to return to");
    }
    String canary = text(command, "canary_version");
    checkActivation(now.map(), scope, canary, previous);
    JsonObject drill = new JsonObject();
    String internalVersion = command.getString("internal_version");
    if (internalVersion != null) {
      ScopeKey internal = new ScopeKey(env, command.getString("internal_cohort", "internal"), alias);
      String internalPrevious = now.pointers().get(internal);
      if (internalPrevious == null) {
        throw new DrillRefused(400, "the internal cohort's scope " + internal + " has no active version to return "
            + "to: give it a pointer first");
      }
      checkActivation(now.map(), internal, internalVersion, internalPrevious);
      drill.put("internal", new JsonObject().put("scope", internal.toJson()).put("version", internalVersion)
          .put("previous", internalPrevious));
    }
    long startedMs = clock.millis();
    String id = "drill-" + Instant.ofEpochMilli(startedMs).toString().replaceAll("[^0-9]", "").substring(0, 14) + "-"
        + UUID.randomUUID().toString().substring(0, 6);
    drill.put("id", id).put("scope", scope.toJson()).put("canary_version", canary).put("previous_version", previous)
        .put("started_at", Instant.ofEpochMilli(startedMs).toString()).put("started_by", operator)
        .put("reason", reason).put("step", DrillStep.PREPARED.wireName()).put("status", "awaiting_approval")
        .put("phase_started_ms", startedMs).put("route_changes", new JsonArray()).put("phases", new JsonArray())
        .put("baseline", baseline(scopes(drill), startedMs))
        .put("steps", new JsonArray().add(stepEntry(DrillStep.PREPARED, operator, reason, startedMs, true,
            "drill started at 0% on the fallback route; " + canary + " to be tested against " + previous)));
    return store.all().compose(all -> {
      for (JsonObject other : all) {
        if (!DrillStep.fromWireName(other.getString("step")).finished()
            && !java.util.Collections.disjoint(scopes(other), scopes(drill))) {
          return Future.failedFuture(new DrillRefused(409, "drill " + other.getString("id")
              + " is still running on " + scopes(other)));
        }
      }
      return store.create(id, drill);
    }).compose(created -> {
      if (!created) {
        return Future.failedFuture(new DrillRefused(409, "drill id " + id + " is taken"));
      }
      LOG.info("Drill {} started by {} on {}: {} against {}", id, operator, scope, canary, previous);
      return written(drill, "started");
    });
  }

  private void checkActivation(RouteMap map, ScopeKey scope, String version, String previous) {
    try {
      map.checkActivation(scope, version, clock.instant());
    } catch (IllegalArgumentException e) {
      throw new DrillRefused(400, e.getMessage());
    }
    if (version.equals(previous)) {
      throw new DrillRefused(400, "scope " + scope + " already serves " + version + ": nothing to drill");
    }
  }

  private JsonObject baseline(Set<ScopeKey> scopes, long startedMs) {
    ClusterSignals latest = signals.signals();
    SignalCounts counts = latest == null ? new SignalCounts()
        : latest.between(k -> scopes.contains(k.scope()), startedMs - options.baselineWindowMs(), startedMs);
    double rate = counts.attempts() == 0 ? 0 : (double) counts.failures() / counts.attempts();
    return new JsonObject().put("window_ms", options.baselineWindowMs()).put("attempts", counts.attempts())
        .put("error_rate", counts.attempts() >= options.minSamples() ? rate : 0.0)
        .put("measured", counts.attempts() >= options.minSamples());
  }

  // --- changes: claim, act, record ---

  /**
   * Claims the drill (status {@code running}, so a concurrent approval gets 409), runs
   * {@code step}, and stores its outcome: the drill as it is after the step.
   */
  private Future<JsonObject> change(String id, Function<JsonObject, Future<JsonObject>> step) {
    return store.read(id).compose(text -> {
      if (text == null) {
        return Future.failedFuture(new DrillRefused(404, "no drill " + id));
      }
      JsonObject drill = new JsonObject(text);
      if (DrillStep.fromWireName(drill.getString("step")).finished()) {
        return Future.failedFuture(new DrillRefused(409, "drill " + id + " has ended (" + drill.getString("step")
            + ")"));
      }
      long now = clock.millis();
      if ("running".equals(drill.getString("status"))
          && now - drill.getLong("running_since_ms", now) < STALE_CLAIM_MS) {
        return Future.failedFuture(new DrillRefused(409, "a step of drill " + id + " is running"));
      }
      // A claim older than any step can last was left by a member that died in the middle of it.
      String before = "running".equals(drill.getString("status")) ? drill.getString("claimed_from", "awaiting_approval")
          : drill.getString("status");
      JsonObject claimed = drill.copy().put("status", "running").put("running_since_ms", now)
          .put("claimed_from", before).put("claimed_by", nodeId);
      return store.replace(id, text, claimed).compose(won -> {
        if (!won) {
          return Future.failedFuture(new DrillRefused(409, "drill " + id + " changed meanwhile; read it again"));
        }
        String claimedText = claimed.encode();
        return step.apply(claimed.copy()).recover(t -> {
          // A step that failed unexpectedly leaves the drill where it was, not stuck "running".
          JsonObject back = released(claimed.copy().put("status", before));
          return store.replace(id, claimedText, back).transform(x -> Future.failedFuture(t));
        }).compose(next -> store.replace(id, claimedText, released(next)).compose(stored -> stored
            ? written(next, next.getString("status"))
            : Future.failedFuture(new DrillRefused(409, "drill " + id + " changed while a step ran"))));
      });
    });
  }

  private Future<JsonObject> advance(JsonObject drill, JsonObject command) {
    String operator = command.getString("operator");
    String reason = requireReason(command);
    DrillStep current = DrillStep.fromWireName(drill.getString("step"));
    DrillStep target = drill.getString("blocked_reason") != null ? current : current.next();
    long now = clock.millis();
    Future<StepOutcome> outcome = switch (target) {
      case PROBES -> probes(drill, operator);
      case INTERNAL -> drill.getJsonObject("internal") == null
          ? Future.succeededFuture(new StepOutcome(true, "skipped: the drill names no internal cohort version"))
          : move(drill, internalScope(drill), drill.getJsonObject("internal").getString("version"), operator,
              "drill " + drill.getString("id") + ": internal cohort", target, false);
      case CANARY -> move(drill, scope(drill), drill.getString("canary_version"), operator,
          "drill " + drill.getString("id") + ": canary", target, false);
      case ROLLBACK -> returnToPrevious(drill, operator, reason, target);
      case DRAIN_CHECK -> {
        List<RollbackChecks.Check> checks = RollbackChecks.drain(facts(drill, now));
        drill.put("drain_checks", RollbackChecks.toJson(checks));
        yield Future.succeededFuture(new StepOutcome(RollbackChecks.allPassed(checks), describe(checks)));
      }
      case REENABLE -> {
        List<RollbackChecks.Check> checks = RollbackChecks.clean(facts(drill, now),
            drill.getJsonObject("baseline").getDouble("error_rate"), options.errorRateTolerance(),
            options.minSamples());
        drill.put("clean_checks", RollbackChecks.toJson(checks));
        yield RollbackChecks.allPassed(checks)
            ? move(drill, scope(drill), drill.getString("canary_version"), operator,
                "drill " + drill.getString("id") + ": re-enabled after a clean rollback", target, false)
            : Future.succeededFuture(new StepOutcome(false, "rollback not clean, not re-enabled: "
                + describe(checks)));
      }
      default -> Future.failedFuture(new DrillRefused(409, "nothing to approve after " + current.wireName()));
    };
    return outcome.map(result -> {
      closePhase(drill, current, now);
      drill.getJsonArray("steps").add(stepEntry(target, operator, reason, now, result.passed(), result.detail()));
      drill.put("step", (target == DrillStep.REENABLE && result.passed() ? DrillStep.COMPLETE : target).wireName());
      if (result.passed()) {
        drill.remove("blocked_reason");
        drill.put("status", target == DrillStep.REENABLE ? "complete" : "awaiting_approval");
      } else {
        drill.put("status", "blocked").put("blocked_reason", result.detail());
      }
      LOG.info("Drill {}: {} approved by {}: {}", drill.getString("id"), target.wireName(), operator,
          result.passed() ? "done" : "blocked: " + result.detail());
      return drill;
    });
  }

  private record StepOutcome(boolean passed, String detail) {}

  private Future<StepOutcome> probes(JsonObject drill, String operator) {
    RouteMap map = routes.current().map();
    Set<String> versions = new LinkedHashSet<>();
    versions.add(drill.getString("canary_version"));
    versions.add(drill.getString("previous_version"));
    JsonObject internal = drill.getJsonObject("internal");
    if (internal != null) {
      versions.add(internal.getString("version"));
      versions.add(internal.getString("previous"));
    }
    for (String v : List.copyOf(versions)) {
      RouteVersion version = map.version(v);
      if (version != null) {
        versions.add(version.rollbackRouteVersion());
      }
    }
    List<Future<JsonObject>> runs = new ArrayList<>();
    for (String version : versions) {
      runs.add(vertx.eventBus().<JsonObject>request(ProbeCommands.ADDRESS, new JsonObject().put("action", "run")
          .put("route_version", version).put("operator", operator),
          new DeliveryOptions().setSendTimeout(ProbeCommands.RUN_SEND_TIMEOUT_MS)).map(m -> m.body())
          .recover(t -> Future.succeededFuture(new JsonObject().put("route_version", version).put("passed", false)
              .put("error", t.getMessage()))));
    }
    return Future.all(runs).map(all -> {
      JsonArray results = new JsonArray();
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        JsonObject run = all.resultAt(i);
        results.add(new JsonObject().put("route_version", run.getString("route_version"))
            .put("passed", run.getBoolean("passed", false)).put("run_id", run.getString("run_id"))
            .put("error", run.getString("error")));
        if (!run.getBoolean("passed", false)) {
          failed.add(run.getString("route_version"));
        }
      }
      drill.put("probe_runs", results);
      return new StepOutcome(failed.isEmpty(), failed.isEmpty() ? "probes passed for " + versions
          : "probes failed for " + failed);
    });
  }

  private Future<StepOutcome> returnToPrevious(JsonObject drill, String operator, String reason, DrillStep step) {
    long now = clock.millis();
    drill.put("rollback", new JsonObject().put("decision", "return to " + drill.getString("previous_version"))
        .put("reason", reason).put("by", operator).put("at", Instant.ofEpochMilli(now).toString())
        .put("at_ms", now));
    Future<StepOutcome> scope = move(drill, scope(drill), drill.getString("previous_version"), operator,
        "drill " + drill.getString("id") + ": rollback: " + reason, step, true);
    JsonObject internal = drill.getJsonObject("internal");
    if (internal == null) {
      return scope;
    }
    return scope.compose(first -> move(drill, internalScope(drill), internal.getString("previous"), operator,
        "drill " + drill.getString("id") + ": rollback of the internal cohort: " + reason, step, true)
        .map(second -> new StepOutcome(first.passed() && second.passed(), first.detail() + "; " + second.detail())));
  }

  /** Moves a scope through the route control plane; {@code force} for returns, which must always be possible. */
  private Future<StepOutcome> move(JsonObject drill, ScopeKey scope, String version, String operator, String reason,
      DrillStep step, boolean force) {
    if (version.equals(routes.current().pointers().get(scope))) {
      return Future.succeededFuture(new StepOutcome(true, scope + " already on " + version));
    }
    JsonObject command = scope.toJson().put("action", "activate").put("route_version", version)
        .put("operator", operator).put("reason", reason).put("drill", drill.getString("id"));
    if (force) {
      command.put("force", true);
    }
    return vertx.eventBus().<JsonObject>request(RouteCommands.ADDRESS, command).map(reply -> {
      JsonObject entry = reply.body();
      drill.getJsonArray("route_changes").add(new JsonObject().put("time", entry.getString("time"))
          .put("scope", scope.toJson()).put("from", entry.getString("from")).put("to", entry.getString("to"))
          .put("operator", operator).put("step", step.wireName()).put("revision", entry.getLong("revision")));
      return new StepOutcome(true, scope + " moved from " + entry.getString("from") + " to " + version);
    }).recover(t -> Future.succeededFuture(new StepOutcome(false, "moving " + scope + " to " + version
        + " was refused: " + (t instanceof ReplyException r ? r.getMessage() : t.toString()))));
  }

  private Future<JsonObject> abort(JsonObject drill, String by, String reason, boolean returnTraffic) {
    long now = clock.millis();
    DrillStep current = DrillStep.fromWireName(drill.getString("step"));
    Future<StepOutcome> returned = returnTraffic && current.exposed()
        ? returnToPrevious(drill, by, "aborted: " + reason, DrillStep.ABORTED)
        : Future.succeededFuture(new StepOutcome(true, returnTraffic ? "no traffic on the fallback route to return"
            : "traffic left as the gate set it"));
    return returned.map(result -> {
      closePhase(drill, current, now);
      drill.put("abort", new JsonObject().put("by", by).put("reason", reason)
          .put("at", Instant.ofEpochMilli(now).toString()).put("during", current.wireName())
          .put("traffic", result.detail()));
      if (!drill.containsKey("rollback")) {
        drill.put("rollback", new JsonObject().put("decision", "abort").put("reason", reason).put("by", by)
            .put("at", Instant.ofEpochMilli(now).toString()).put("at_ms", now));
      }
      drill.getJsonArray("steps").add(stepEntry(DrillStep.ABORTED, by, reason, now, result.passed(), result.detail()));
      drill.put("step", DrillStep.ABORTED.wireName()).put("status", "aborted").remove("blocked_reason");
      LOG.warn("Drill {} aborted by {} during {}: {}", drill.getString("id"), by, current.wireName(), reason);
      return drill;
    });
  }

  /** A gate acted on a scope of a running drill: the drill ends there, and says why. */
  private void onGateAction(JsonObject action) {
    ScopeKey scope;
    try {
      scope = ScopeKey.fromJson(action.getJsonObject("scope"));
    } catch (RuntimeException unreadable) {
      return;
    }
    store.all().onSuccess(all -> {
      for (JsonObject drill : all) {
        DrillStep step = DrillStep.fromWireName(drill.getString("step"));
        if (!step.finished() && scopes(drill).contains(scope)) {
          abortForGate(drill.getString("id"), action, GATE_ABORT_TRIES);
        }
      }
    });
  }

  /** Longer than any step can run (a probe run is bounded by 10 minutes). */
  private static final long STALE_CLAIM_MS = 15 * 60_000L;

  private static JsonObject released(JsonObject drill) {
    drill.remove("running_since_ms");
    drill.remove("claimed_from");
    drill.remove("claimed_by");
    return drill;
  }

  private static final int GATE_ABORT_TRIES = 20;
  private static final long GATE_ABORT_RETRY_MS = 500;

  /**
   * Ends a drill for a gate's change. Every member hears the event; the drill's compare-and-set
   * lets one of them end it. While an approved step is running the drill cannot be claimed: try
   * again shortly, so a gate never loses to a step in progress.
   */
  private void abortForGate(String id, JsonObject action, int triesLeft) {
    change(id, d -> abort(d, action.getString("operator", "gate"),
        "gate " + action.getString("decision") + ": " + action.getString("reason"), false))
        .onFailure(t -> {
          if (t instanceof DrillRefused r && r.status == 409 && t.getMessage().contains("is running")
              && triesLeft > 1) {
            vertx.setTimer(GATE_ABORT_RETRY_MS, timer -> abortForGate(id, action, triesLeft - 1));
          } else {
            LOG.debug("Drill {} not aborted here: {}", id, t.getMessage());
          }
        });
  }

  // --- evidence ---

  private void closePhase(JsonObject drill, DrillStep step, long now) {
    long from = drill.getLong("phase_started_ms");
    ClusterSignals latest = signals.signals();
    drill.getJsonArray("phases").add(new JsonObject().put("step", step.wireName())
        .put("from", Instant.ofEpochMilli(from).toString()).put("to", Instant.ofEpochMilli(now).toString())
        .put("from_ms", from).put("to_ms", now)
        .put("counts", DrillEvidence.phaseCounts(latest, scopes(drill), from, now, false)));
    drill.put("phase_started_ms", now);
  }

  private RollbackChecks.Facts facts(JsonObject drill, long now) {
    JsonObject rollback = drill.getJsonObject("rollback", new JsonObject());
    long rolledBack = rollback.getLong("at_ms", now);
    long settled = (rolledBack + options.drainGraceMs()) / bucketMs * bucketMs + bucketMs;
    Set<String> fallbackVersions = new LinkedHashSet<>();
    fallbackVersions.add(drill.getString("canary_version"));
    JsonObject internal = drill.getJsonObject("internal");
    if (internal != null) {
      fallbackVersions.add(internal.getString("version"));
    }
    RouteSnapshot now_ = routes.current();
    Set<String> inUse = ReferencedProviders.of(now_);
    Set<String> fallbackOnly = new LinkedHashSet<>();
    for (String v : fallbackVersions) {
      RouteVersion version = now_.map().version(v);
      if (version != null && version.fallbackProvider() != null && !inUse.contains(version.fallbackProvider())) {
        fallbackOnly.add(version.fallbackProvider());
      }
    }
    ClusterSignals latest = signals.signals() == null ? ClusterSignals.merge(bucketMs, List.of()) : signals.signals();
    return new RollbackChecks.Facts(latest, scopes(drill), fallbackVersions, drill.getString("previous_version"),
        settled, Math.min(now, signals.atMs() < 0 ? now : signals.atMs()), fallbackOnly);
  }

  /** The drill with its evidence summed so far (the open phase included). */
  private JsonObject withEvidence(JsonObject drill) {
    long now = clock.millis();
    JsonArray phases = new JsonArray();
    for (Object p : drill.getJsonArray("phases", new JsonArray())) {
      JsonObject phase = ((JsonObject) p).copy();
      // Counted when the phase closed, from signals up to a tick old; while the windows still hold
      // the whole phase, count it again from the latest ones, which have every member's last attempts.
      if (signals.signals() != null && phase.getLong("from_ms", 0L) > now - horizonMs + bucketMs) {
        phase.put("counts", DrillEvidence.phaseCounts(signals.signals(), scopes(drill), phase.getLong("from_ms"),
            phase.getLong("to_ms"), false));
      }
      phase.remove("from_ms");
      phase.remove("to_ms");
      phases.add(phase);
    }
    DrillStep step = DrillStep.fromWireName(drill.getString("step"));
    if (!step.finished()) {
      phases.add(new JsonObject().put("step", step.wireName()).put("counts",
          DrillEvidence.phaseCounts(signals.signals(), scopes(drill), drill.getLong("phase_started_ms"), now, true)));
    }
    JsonArray approvals = new JsonArray();
    drill.getJsonArray("steps").forEach(s -> {
      JsonObject entry = (JsonObject) s;
      approvals.add(new JsonObject().put("step", entry.getString("step")).put("operator", entry.getString("operator"))
          .put("at", entry.getString("at")).put("reason", entry.getString("reason")));
    });
    JsonObject evidence = new JsonObject()
        .put("route_version_changes", drill.getJsonArray("route_changes"))
        .put("by_route", DrillEvidence.byRoute(phases))
        .put("approvals", approvals)
        .put("rollback_decision", drill.getJsonObject("rollback"))
        .put("baseline", drill.getJsonObject("baseline"))
        .put("drain_checks", drill.getJsonArray("drain_checks"))
        .put("clean_checks", drill.getJsonArray("clean_checks"))
        .put("probe_runs", drill.getJsonArray("probe_runs"))
        .put("note", "counts come from the gates' windows: phase edges are rounded to whole buckets, latencies are "
            + "per attempt and reported as histogram bucket upper bounds");
    JsonObject out = drill.copy().put("evidence", evidence);
    out.remove("phase_started_ms");
    return out;
  }

  private Future<JsonObject> written(JsonObject drill, String detail) {
    if (DrillStep.fromWireName(drill.getString("step")).finished()) {
      clearAutoFallback();
    }
    JsonObject full = withEvidence(drill);
    vertx.eventBus().publish(DrillCommands.EVENTS, new JsonObject().put("type", "drill").put("node", nodeId)
        .put("time", clock.instant().toString()).put("id", drill.getString("id")).put("step", drill.getString("step"))
        .put("status", drill.getString("status")).put("detail", detail));
    return vertx.executeBlocking(() -> {
      Files.createDirectories(options.reportDir());
      write(drill.getString("id") + ".json", full.encodePrettily());
      write(drill.getString("id") + ".html", DrillReport.html(full));
      return full;
    }).recover(t -> {
      LOG.error("Drill report for {} not written to {}: {}", drill.getString("id"), options.reportDir(), t.toString());
      return Future.succeededFuture(full);
    });
  }

  private void write(String name, String content) throws java.io.IOException {
    java.nio.file.Path target = options.reportDir().resolve(name);
    java.nio.file.Path temp = options.reportDir().resolve(name + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private Future<JsonObject> read(String id) {
    return store.read(id).compose(text -> text == null ? Future.failedFuture(new DrillRefused(404, "no drill " + id))
        : Future.succeededFuture(new JsonObject(text)));
  }

  // --- small helpers ---

  private static JsonObject stepEntry(DrillStep step, String operator, String reason, long atMs, boolean passed,
      String detail) {
    return new JsonObject().put("step", step.wireName()).put("operator", operator).put("reason", reason)
        .put("at", Instant.ofEpochMilli(atMs).toString()).put("passed", passed).put("detail", detail);
  }

  private static String describe(List<RollbackChecks.Check> checks) {
    StringBuilder text = new StringBuilder();
    for (RollbackChecks.Check check : checks) {
      text.append(text.length() == 0 ? "" : "; ").append(check.name()).append(check.passed() ? " ok" : " FAILED")
          .append(" (").append(check.detail()).append(')');
    }
    return text.toString();
  }

  private static ScopeKey scope(JsonObject drill) {
    return ScopeKey.fromJson(drill.getJsonObject("scope"));
  }

  private static ScopeKey internalScope(JsonObject drill) {
    return ScopeKey.fromJson(drill.getJsonObject("internal").getJsonObject("scope"));
  }


  private static Set<ScopeKey> scopes(JsonObject drill) {
    Set<ScopeKey> scopes = new LinkedHashSet<>();
    scopes.add(scope(drill));
    if (drill.getJsonObject("internal") != null) {
      scopes.add(internalScope(drill));
    }
    return scopes;
  }

  private static String requireReason(JsonObject command) {
    String reason = command.getString("reason");
    if (reason == null || reason.isBlank()) {
      throw new DrillRefused(400, "a reason is required");
    }
    return reason;
  }

  private static String text(JsonObject json, String key) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new DrillRefused(400, "'" + key + "' is required");
    }
    return s;
  }
}
