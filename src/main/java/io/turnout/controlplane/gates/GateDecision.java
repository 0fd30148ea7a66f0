package io.turnout.controlplane.gates;

import io.turnout.controlplane.routes.RouteCommand;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;

/**
 * A change a breach calls for, to be made once cluster-wide with a compare-and-set on the route
 * state at {@code revision}: the state the verdict was computed on. If anything changed since,
 * the change is dropped and the next tick decides again on the new state.
 *
 * @param kind what to do
 * @param control the control to hold on the scope (freeze, reduce, stop, pause); null for a rollback
 * @param rollbackTo the version a rollback moves to; null otherwise
 * @param reason why, with the numbers
 */
public record GateDecision(ScopeKey scope, String routeVersion, long revision, Kind kind, ScopeControl control,
    String rollbackTo, String reason, Verdict verdict) {

  /** The change. */
  public enum Kind {
    FREEZE("stop_expansion"), TEST_SHARE("test_share"), REDUCE("reduce"), STOP("stop"), ROLLBACK("rollback"), PAUSE("pause");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Kind fromWireName(String name) {
      for (Kind k : values()) {
        if (k.wireName.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown gate decision '" + name + "'");
    }
  }

  public String gate() {
    return verdict.rule().name();
  }

  /** The command sent to the route control plane. */
  public RouteCommand.GateChange toRouteCommand() {
    return new RouteCommand.GateChange(RouteCommand.ScopeRef.of(scope), gate(), kind.wireName(), routeVersion, revision,
        reason, rollbackTo == null ? control : null, rollbackTo, verdict.toJson());
  }

  /** {@link #toRouteCommand()} on the wire. */
  public JsonObject toCommand() {
    return toRouteCommand().toJson();
  }
}
