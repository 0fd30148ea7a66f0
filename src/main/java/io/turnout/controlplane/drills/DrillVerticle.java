package io.turnout.controlplane.drills;

import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.gates.LatestSignals;
import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteTable;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * The drills' shell (runbook section 3): serves {@link DrillCommands#ADDRESS}, feeds commands to the
 * {@link DrillMachine} through the claim protocol ({@link DrillChanges}), aborts drills whose scope
 * a gate acted on, keeps this member's report copies current on every drill change heard
 * cluster-wide, and runs the automatic-fallback clearance ({@link AutoFallbackClearance}).
 */
public final class DrillVerticle extends VerticleBase {

  private static final int GATE_ABORT_TRIES = 20;
  private static final long GATE_ABORT_RETRY_MS = 500;

  private final DrillOptions options;
  private final RouteTable routes;
  private final LatestSignals signals;
  private final AutoFallback autoFallback;
  private final long bucketMs;
  private final long horizonMs;
  private final String environment;
  private final String nodeId;
  private final Clock clock;
  private DrillChanges changes;
  private DrillEffects effects;
  private DrillView view;
  private DrillReportWriter reports;
  private AutoFallbackClearance clearance;

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
    DrillStore store = new DrillStore(vertx, nodeId);
    view = new DrillView(signals, bucketMs, horizonMs);
    reports = new DrillReportWriter(vertx, options.reportDir(), view, clock);
    clearance = new AutoFallbackClearance(vertx, routes, autoFallback, options.autoFallbackMaxAgeMs(), store::all,
        clock);
    effects = new DrillEffects(vertx, routes, signals, reports, () -> clearance.refresh(), nodeId, bucketMs, clock);
    changes = new DrillChanges(store, new DrillMachine(DrillRules.of(options, nodeId, bucketMs)), effects, clock);
    Future<?> commands = vertx.eventBus().<JsonObject>localConsumer(DrillCommands.ADDRESS, this::onCommand)
        .completion();
    Future<?> gates = vertx.eventBus().<JsonObject>consumer(RouteEvents.ADDRESS, m -> {
      if ("gate_action".equals(m.body().getString("type"))) {
        onGateAction(m.body());
      }
    }).completion();
    // Another member changed a drill: this member's copy of its report shows the change too.
    Future<?> events = vertx.eventBus().<JsonObject>consumer(DrillCommands.EVENTS, m -> {
      if (!nodeId.equals(m.body().getString("node")) && m.body().getString("id") != null) {
        changes.get(m.body().getString("id")).compose(reports::write);
      }
    }).completion();
    vertx.setPeriodic(AutoFallbackClearance.PERIOD_MS, id -> clearance.refresh());
    return Future.all(commands, gates, events).compose(v -> clearance.refresh().otherwiseEmpty());
  }

  private void onCommand(Message<JsonObject> message) {
    JsonObject command = message.body();
    Future<JsonObject> result;
    try {
      result = switch (command.getString("action", "")) {
        case "start" -> changes.start(DrillCommandParser.start(command, environment), DrillStart.newId(clock),
            routes.current(),
            scopes -> effects.baseline(scopes, clock.millis(), options.baselineWindowMs(), options.minSamples()))
            .map(this::viewOf);
        case "advance" -> changes.change(DrillCommandParser.id(command), DrillCommandParser.approve(command))
            .map(this::viewOf);
        case "abort" -> changes.change(DrillCommandParser.id(command), DrillCommandParser.abort(command))
            .map(this::viewOf);
        case "get" -> changes.get(DrillCommandParser.id(command)).map(this::viewOf);
        case "report" -> changes.get(DrillCommandParser.id(command))
            .map(d -> new JsonObject().put("html", DrillReport.html(viewOf(d))));
        case "auto_fallback" -> Future.succeededFuture(clearance.status());
        case "list" -> changes.all().map(list -> {
          JsonArray drills = new JsonArray();
          list.forEach(d -> drills.add(d.summaryJson()));
          return new JsonObject().put("drills", drills);
        });
        default -> Future.failedFuture(CommandRefusal.invalid("action", "unknown action '"
            + command.getString("action", "") + "'"));
      };
    } catch (CommandRefusal refused) {
      result = Future.failedFuture(refused);
    }
    result.onSuccess(message::reply).onFailure(t -> CommandRefusal.fail(message, t));
  }

  private JsonObject viewOf(Drill drill) {
    return view.of(drill, clock.millis());
  }

  /** A gate acted on a scope of a running drill: the drill ends there, and says why. */
  private void onGateAction(JsonObject action) {
    ScopeKey scope;
    try {
      scope = ScopeKey.fromJson(action.getJsonObject("scope"));
    } catch (RuntimeException unreadable) {
      return;
    }
    changes.all().onSuccess(all -> all.stream().filter(d -> !d.finished() && d.scopes().contains(scope))
        .forEach(d -> abortForGate(d.id(), new DrillCommand.GateAbort(action.getString("operator", "gate"),
            "gate " + action.getString("decision") + ": " + action.getString("reason")), GATE_ABORT_TRIES)));
  }

  /**
   * Every member hears the gate's event; the drill's compare-and-set lets one of them end it. While
   * an approved step runs the drill is claimed: try again shortly, so a gate never loses to a step.
   */
  private void abortForGate(String id, DrillCommand.GateAbort abort, int triesLeft) {
    changes.change(id, abort).onFailure(t -> {
      if (t instanceof CommandRefusal r && "drill_claimed".equals(r.code()) && triesLeft > 1) {
        vertx.setTimer(GATE_ABORT_RETRY_MS, timer -> abortForGate(id, abort, triesLeft - 1));
      }
    });
  }
}
