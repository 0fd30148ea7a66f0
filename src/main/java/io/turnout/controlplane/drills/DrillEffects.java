package io.turnout.controlplane.drills;

import io.turnout.dataplane.drain.ReferencedProviders;
import io.turnout.controlplane.gates.ClusterSignals;
import io.turnout.controlplane.gates.LatestSignals;
import io.turnout.dataplane.signals.SignalCounts;
import io.turnout.controlplane.probes.ProbeCommands;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Executes the {@link DrillMachine}'s effects: probe runs, moves (through {@link DrillRouteMoves}),
 * the rollback checks on the cluster's latest signals, phase sums; and after a stored change, the
 * event, this member's report copy and the automatic-fallback refresh.
 */
final class DrillEffects {

  private final Vertx vertx;
  private final RouteTable routes;
  private final LatestSignals signals;
  private final DrillRouteMoves moves;
  private final DrillReportWriter reports;
  private final Runnable refreshAutoFallback;
  private final String nodeId;
  private final long bucketMs;
  private final Clock clock;

  DrillEffects(Vertx vertx, RouteTable routes, LatestSignals signals, DrillReportWriter reports,
      Runnable refreshAutoFallback, String nodeId, long bucketMs, Clock clock) {
    this.vertx = vertx;
    this.routes = routes;
    this.signals = signals;
    this.moves = new DrillRouteMoves(vertx, routes);
    this.reports = reports;
    this.refreshAutoFallback = refreshAutoFallback;
    this.nodeId = nodeId;
    this.bucketMs = bucketMs;
    this.clock = clock;
  }

  /** Runs a step's effects in order; a check that fails skips the moves after it. */
  Future<StepResult> runStep(List<DrillEffect> effects) {
    return runFrom(effects, 0, new Results());
  }

  /** What the effects run so far found. */
  private static final class Results {
    List<ProbeRun> probeRuns;
    final List<StepResult.MoveOutcome> moves = new ArrayList<>();
    List<RollbackChecks.Check> drainChecks;
    List<RollbackChecks.Check> cleanChecks;
    JsonObject phaseCounts = new JsonObject();
    boolean checkFailed;

    StepResult result() {
      return new StepResult(probeRuns, moves, drainChecks, cleanChecks, phaseCounts);
    }
  }

  private Future<StepResult> runFrom(List<DrillEffect> effects, int index, Results results) {
    if (index == effects.size()) {
      return Future.succeededFuture(results.result());
    }
    DrillEffect effect = effects.get(index);
    Future<Void> done = Future.succeededFuture();
    if (effect instanceof DrillEffect.RunProbes probes) {
      done = probes(probes).map(runs -> {
        results.probeRuns = runs;
        return null;
      });
    } else if (effect instanceof DrillEffect.MoveScope move) {
      if (!results.checkFailed) {
        done = moves.move(move).map(outcome -> {
          results.moves.add(outcome);
          return null;
        });
      }
    } else if (effect instanceof DrillEffect.CheckDrain drain) {
      done = cancelInFlight(drain.spec()).map(v -> {
        results.drainChecks = RollbackChecks.drain(facts(drain.spec()));
        results.checkFailed = !RollbackChecks.allPassed(results.drainChecks);
        return null;
      });
    } else if (effect instanceof DrillEffect.CheckClean clean) {
      results.cleanChecks = RollbackChecks.clean(facts(clean.spec()), clean.baselineErrorRate(), clean.tolerance(),
          clean.minSamples());
      results.checkFailed = !RollbackChecks.allPassed(results.cleanChecks);
    } else if (effect instanceof DrillEffect.SumPhase sum) {
      results.phaseCounts = DrillEvidence.phaseCounts(signals.signals(), sum.scopes(), sum.fromMs(), sum.toMs(), false);
    } else {
      done = Future.failedFuture(new IllegalArgumentException("not a step effect: " + effect));
    }
    return done.compose(v -> runFrom(effects, index + 1, results));
  }

  /** Runs what follows a stored change; a report that cannot be written is logged, not failed. */
  Future<Void> after(List<DrillEffect> effects) {
    Future<Void> chain = Future.succeededFuture();
    for (DrillEffect effect : effects) {
      if (effect instanceof DrillEffect.Publish publish) {
        vertx.eventBus().publish(DrillCommands.EVENTS, event(publish));
      } else if (effect instanceof DrillEffect.WriteReport write) {
        chain = chain.compose(v -> reports.write(write.drill()));
      } else if (effect instanceof DrillEffect.RefreshAutoFallback) {
        refreshAutoFallback.run();
      } else {
        throw new IllegalArgumentException("not an after-change effect: " + effect);
      }
    }
    return chain;
  }

  /**
   * On the operator's word ({@code cancel_in_flight}), every member cancels its attempts in flight
   * on the versions the scopes left; the check then sees them end within a few gate ticks.
   */
  private Future<Void> cancelInFlight(DrillEffect.CheckSpec spec) {
    if (!spec.cancelInFlight()) {
      return Future.succeededFuture();
    }
    // Sent even when the latest signals show nothing in flight: they may be a tick old.
    vertx.eventBus().publish(io.turnout.dataplane.drain.Drain.CANCEL_ADDRESS, new JsonObject().put("route_versions",
        new io.vertx.core.json.JsonArray(new ArrayList<>(spec.fallbackVersions()))));
    io.vertx.core.Promise<Void> ended = io.vertx.core.Promise.promise();
    long deadline = clock.millis() + CANCEL_WAIT_MS;
    vertx.setPeriodic(100, id -> {
      if (spec.fallbackVersions().stream().allMatch(v -> inFlight(v) == 0) || clock.millis() >= deadline) {
        vertx.cancelTimer(id);
        ended.tryComplete();
      }
    });
    return ended.future();
  }

  /** How long a drain check waits for cancelled attempts to be seen ending. */
  private static final long CANCEL_WAIT_MS = 5_000;

  private long inFlight(String version) {
    return signals.signals() == null ? 0 : signals.signals().inFlight(version);
  }

  private JsonObject event(DrillEffect.Publish publish) {
    Drill drill = publish.drill();
    DrillStep next = drill.nextStep();
    return new JsonObject().put("type", "drill").put("node", nodeId).put("time", clock.instant().toString())
        .put("id", drill.id()).put("step", drill.step().wireName()).put("status", drill.status().wireName())
        .put("scope", drill.scope().scope().toJson()).put("next_step", next == null ? null : next.wireName())
        .put("detail", publish.detail());
  }

  private Future<List<ProbeRun>> probes(DrillEffect.RunProbes probes) {
    List<Future<ProbeRun>> runs = new ArrayList<>();
    for (String version : probes.versions()) {
      runs.add(vertx.eventBus().<JsonObject>request(ProbeCommands.ADDRESS, new JsonObject().put("action", "run")
          .put("route_version", version).put("operator", probes.operator()),
          new DeliveryOptions().setSendTimeout(ProbeCommands.RUN_SEND_TIMEOUT_MS))
          .map(m -> ProbeRun.fromEvidence(m.body()))
          .recover(t -> Future.succeededFuture(new ProbeRun(version, false, null, clock.instant().toString(), nodeId,
              io.turnout.controlplane.CommandRefusal.fromReply(t).getMessage(), List.of()))));
    }
    return Future.all(runs).map(all -> {
      List<ProbeRun> list = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        list.add(all.resultAt(i));
      }
      return list;
    });
  }

  private RollbackChecks.Facts facts(DrillEffect.CheckSpec spec) {
    long now = clock.millis();
    RouteSnapshot current = routes.current();
    Set<String> inUse = ReferencedProviders.of(current);
    Set<String> fallbackOnly = new LinkedHashSet<>();
    for (String v : spec.fallbackVersions()) {
      RouteVersion version = current.map().version(v);
      if (version != null && version.fallbackProvider() != null && !inUse.contains(version.fallbackProvider())) {
        fallbackOnly.add(version.fallbackProvider());
      }
    }
    ClusterSignals latest = signals.signals() == null ? ClusterSignals.merge(bucketMs, List.of()) : signals.signals();
    return new RollbackChecks.Facts(latest, spec.scopes(), spec.fallbackVersions(), spec.previousVersion(),
        spec.settledFromMs(), Math.min(now, signals.atMs() < 0 ? now : signals.atMs()), fallbackOnly,
        spec.cancelInFlight());
  }

  /** The scopes' error rate over {@code windowMs} before {@code startedMs}. */
  Baseline baseline(Set<ScopeKey> scopes, long startedMs, long windowMs, long minSamples) {
    ClusterSignals latest = signals.signals();
    SignalCounts counts = latest == null ? new SignalCounts()
        : latest.between(k -> scopes.contains(k.scope()), startedMs - windowMs, startedMs);
    double rate = counts.attempts() == 0 ? 0 : (double) counts.failures() / counts.attempts();
    boolean measured = counts.attempts() >= minSamples;
    return new Baseline(windowMs, counts.attempts(), measured ? rate : 0.0, measured);
  }
}
