package io.turnout.controlplane.routes;

import io.turnout.controlplane.probes.ActivationGuard;
import io.turnout.routes.RouteTable;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import io.turnout.controlplane.CommandRefusal;

/**
 * The activation guard ({@link ActivationGuard}) as the route control plane applies it, with
 * {@code probes.required}: an operator's activation and a file edit that moves a pointer forward
 * need a passed latest probe run of the target version and of its rollback version. Recoveries
 * (a move along the rollback chain, to the alias's {@code rollback_target} or to a baseline) are
 * never guarded: see {@link ActivationGuard#versionsToCheck}.
 */
public final class RouteProbeGuard {

  /** No guard: probes are not required. */
  public static final RouteProbeGuard OFF = new RouteProbeGuard(false, versions -> Future.succeededFuture(
      new ActivationGuard.Decision(new JsonObject(), List.of())));

  private final boolean required;
  private final Function<List<String>, Future<ActivationGuard.Decision>> check;

  /**
   * @param required {@code probes.required}
   * @param check looks up the latest runs of versions ({@link ActivationGuard#check})
   */
  public RouteProbeGuard(boolean required, Function<List<String>, Future<ActivationGuard.Decision>> check) {
    this.required = required;
    this.check = check;
  }

  /**
   * For an operator's activation: the evidence consulted ({@code {version: run_id|null}}), or null
   * when probes are not required; fails with a 400 refusal naming the versions without a passed
   * latest run, unless {@code forced}.
   */
  public Future<JsonObject> operator(ScopeKey scope, RouteTable.Proposal proposal, boolean forced) {
    if (!required) {
      return Future.succeededFuture();
    }
    String to = proposal.next().pointers().get(scope);
    List<String> versions = ActivationGuard.versionsToCheck(proposal.next().map(),
        proposal.base().pointers().get(scope), to);
    return check.apply(versions).compose(decision -> decision.allowed() || forced
        ? Future.succeededFuture(decision.evidence())
        : Future.failedFuture(new CommandRefusal(400, "probe_evidence_missing", decision.refusal("activation of "
            + to + " on scope " + scope) + ". Run the probes (POST /admin/probes/run), or force the activation with a"
            + " reason", "route_version")));
  }

  /**
   * For a route map file edit: the refusal naming the versions the edit moves pointers to without
   * a passed latest run, or null when the edit may apply. Unreadable evidence refuses the edit.
   */
  public Future<String> fileEdit(RouteTable.Proposal proposal) {
    if (!required) {
      return Future.succeededFuture();
    }
    Map<ScopeKey, String> before = proposal.base().pointers().byScope();
    LinkedHashSet<String> versions = new LinkedHashSet<>();
    proposal.next().pointers().byScope().forEach((scope, to) -> {
      if (!to.equals(before.get(scope))) {
        versions.addAll(ActivationGuard.versionsToCheck(proposal.next().map(), before.get(scope), to));
      }
    });
    if (versions.isEmpty()) {
      return Future.succeededFuture();
    }
    return check.apply(List.copyOf(versions)).map(decision -> decision.allowed() ? null
        : decision.refusal("moving pointers by a file edit") + ". Run the probes (POST /admin/probes/run), then edit"
            + " the file again (a file edit cannot be forced)")
        // Without evidence to judge on, the edit waits rather than slipping through.
        .recover(unreadable -> Future.succeededFuture("moving pointers by a file edit refused: the probe evidence"
            + " could not be read (" + unreadable.getMessage() + ")"));
  }
}
