package io.turnout.controlplane.probes;

import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteMode;
import io.turnout.routes.RouteVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The activation guard (issue 6): a route version may take more than 0% of traffic only if its
 * latest probe run passed, and so did its rollback version's (a baseline's rollback is itself).
 * A version in mode {@code disabled} takes no traffic and needs no run. A recovery is never
 * guarded: a move back along the active version's rollback chain, to the alias's
 * {@code rollback_target} or to a baseline ({@link RouteMap#isRecovery}) must always be possible.
 */
public final class ActivationGuard {

  /**
   * What the guard found.
   *
   * @param evidence per version checked: the run id of its latest run, or null without one
   * @param lacking one sentence per version without a passed latest run; empty when allowed
   */
  public record Decision(JsonObject evidence, List<String> lacking) {

    public Decision {
      lacking = List.copyOf(lacking);
    }

    /** Whether every version checked has a passed latest run. */
    public boolean allowed() {
      return lacking.isEmpty();
    }

    /** The refusal of {@code what}, naming each version that lacks a passed run; safe to show an operator. */
    public String refusal(String what) {
      return what + " refused: " + String.join("; ", lacking);
    }
  }

  private final EvidenceStore store;

  public ActivationGuard(EvidenceStore store) {
    this.store = store;
  }

  /**
   * The versions whose latest runs must have passed before {@code target} serves a scope that is
   * on {@code current} now (null when the scope has no pointer). Pure.
   */
  public static List<String> versionsToCheck(RouteMap map, String current, String target) {
    RouteVersion version = map.version(target);
    if (version == null || map.isRecovery(current, target)) {
      // Unknown versions are refused by the activation check itself.
      return List.of();
    }
    Set<String> versions = new LinkedHashSet<>();
    if (version.mode() != RouteMode.DISABLED) {
      versions.add(target);
    }
    RouteVersion rollback = map.version(version.rollbackRouteVersion());
    if (rollback != null && rollback.mode() != RouteMode.DISABLED) {
      versions.add(rollback.routeVersion());
    }
    return new ArrayList<>(versions);
  }

  /** Looks up the latest run of each version. */
  public Future<Decision> check(List<String> versions) {
    JsonObject evidence = new JsonObject();
    List<String> lacking = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions) {
      chain = chain.compose(v -> store.latest(version)).map(run -> {
        evidence.put(version, run == null ? null : run.getString("run_id"));
        if (run == null) {
          lacking.add("route version " + version + " has no probe run");
        } else if (!run.getBoolean("passed", false)) {
          lacking.add("the latest probe run of route version " + version + " (" + run.getString("run_id") + ") failed");
        }
        return null;
      });
    }
    return chain.map(v -> new Decision(evidence, lacking));
  }
}
