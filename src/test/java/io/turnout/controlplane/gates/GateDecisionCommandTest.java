package io.turnout.controlplane.gates;

import static io.turnout.controlplane.gates.GateFixture.T0;
import static io.turnout.controlplane.gates.GateFixture.evaluate;
import static io.turnout.controlplane.gates.GateFixture.key;
import static io.turnout.controlplane.gates.GateFixture.on;
import static io.turnout.controlplane.gates.GateFixture.record;
import static io.turnout.controlplane.gates.GateFixture.windows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.controlplane.routes.RouteCommand;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.routes.ScopeControl;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.signals.SignalWindows;

/** A gate's decision travels as a typed route command whose JSON is the shape gates always sent. */
class GateDecisionCommandTest {

  private static final List<GateRule> RUNBOOK = GateOptions.runbookDefaults();
  private static final long NOW = T0 + 60_000;

  private final SignalWindows member = windows();

  /** The command as GateDecision built it by hand before the typed commands. */
  private static JsonObject previousShape(GateDecision d) {
    JsonObject command = d.scope().toJson().put("action", "gate").put("decision", d.kind().wireName())
        .put("route_version", d.routeVersion()).put("expected_revision", d.revision()).put("gate", d.gate())
        .put("reason", d.reason()).put("verdict", d.verdict().toJson());
    if (d.control() != null) {
      command.put("control", d.control().toJson());
    }
    return d.rollbackTo() == null ? command : command.put("rollback_to", d.rollbackTo());
  }

  @Test
  void aReduce_holdsAControl_inTheSameJson() {
    record(member, key("canary", 0, "cometapi", "fallback"), 50, 2, ErrorClass.TIMEOUT, NOW);
    GateDecision decision = evaluate(RUNBOOK, on("canary", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

    assertEquals(GateDecision.Kind.REDUCE, decision.kind());
    assertEquals(previousShape(decision), decision.toCommand());
    assertEquals(decision.toRouteCommand(), RouteCommand.fromJson(decision.toCommand()));
  }

  @Test
  void aRollback_namesItsTarget_inTheSameJson() {
    record(member, key("v1", 0, "cometapi", "fallback"), 50, 2, ErrorClass.TIMEOUT, NOW);
    GateDecision decision = evaluate(RUNBOOK, on("v1", 7, ScopeControl.NONE), NOW, member).decisions().get(0);

    assertEquals(GateDecision.Kind.ROLLBACK, decision.kind());
    assertEquals(previousShape(decision), decision.toCommand());
    assertEquals("v0", decision.toRouteCommand().rollbackTo());
    assertEquals(decision.toRouteCommand(), RouteCommand.fromJson(decision.toCommand()));
  }
}
