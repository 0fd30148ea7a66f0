package io.turnout.controlplane.routes;

import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import io.turnout.controlplane.CommandRefusal;

/**
 * Decides the route commands ({@link RouteCommand}): given the command, the running state and
 * the time, it proposes the change (or refuses with a {@link CommandRefusal}, leaving nothing
 * behind), guards forward activations with probe evidence, and hands the proposal and its audit
 * entry to the injected {@link RouteCommit}. The answer is the audit entry. Changes must be
 * handled one after another (the caller queues them); {@code status} and {@code audit} only read.
 *
 * <p>Refusals: 400 {@code invalid_request} naming the field ({@code route_version},
 * {@code model_alias}, {@code canary_share}, ...) or {@code probe_evidence_missing}; 409
 * {@code stale_revision} when the state moved on since {@code expected_revision} or another
 * member's change won; 500 when the change applied but the audit log could not be written.
 */
public final class RouteCommandHandler {


  /**
   * What the handler reads beside the route table: the audit log, the cluster's merged history
   * ({@code {entries, members}}), the members, and this member's own details for its status (the
   * file watcher's {@code last_rejection} and {@code rejected_edits}, whether it has {@code joined}).
   */
  public record Sources(Function<Integer, Future<List<JsonObject>>> auditTail,
      Function<Integer, Future<JsonObject>> clusterAudit, Supplier<Future<JsonObject>> members,
      UnaryOperator<JsonObject> details) {}

  private final RouteTable routes;
  private final String environment;
  private final String nodeId;
  private final RouteCommit commit;
  private final RouteProbeGuard guard;
  private final Consumer<JsonObject> events;
  private final Sources sources;
  private final ScopeBreaches breaches;

  /**
   * @param environment this node's environment: the scope of a command that names none
   * @param events where route events are published ({@link RouteEvents#ADDRESS})
   */
  public RouteCommandHandler(RouteTable routes, String environment, String nodeId, RouteCommit commit,
      RouteProbeGuard guard, Consumer<JsonObject> events, Sources sources) {
    this(routes, environment, nodeId, commit, guard, events, sources, new ScopeBreaches());
  }

  /** @param breaches which scopes the gates see breaching (a resume may not expand them unforced) */
  public RouteCommandHandler(RouteTable routes, String environment, String nodeId, RouteCommit commit,
      RouteProbeGuard guard, Consumer<JsonObject> events, Sources sources, ScopeBreaches breaches) {
    this.breaches = breaches;
    this.routes = routes;
    this.environment = environment;
    this.nodeId = nodeId;
    this.commit = commit;
    this.guard = guard;
    this.events = events;
    this.sources = sources;
  }

  /** Whether {@code command} changes state (and so must be queued behind other changes). */
  public static boolean changes(RouteCommand command) {
    return !(command instanceof RouteCommand.Status || command instanceof RouteCommand.Audit);
  }

  /** How often a command that named no {@code expected_revision} retries a compare-and-set it lost. */
  static final int CAS_TRIES = 5;

  /**
   * Handles one command at {@code now}: the answer, or a failed future with a {@link CommandRefusal}.
   * An operator's (or a drill's) change that sent no {@code expected_revision} and lost its
   * compare-and-set to another member's change is made again on the state that won (the loss
   * already brought this member up to date), up to {@link #CAS_TRIES} times: only a caller that
   * sent {@code expected_revision} can lose. A gate's change never retries: it was decided on
   * one exact revision.
   */
  public Future<JsonObject> handle(RouteCommand command, Instant now) {
    return handle(command, now, CAS_TRIES);
  }

  private Future<JsonObject> handle(RouteCommand command, Instant now, int tries) {
    return handleOnce(command, now).recover(t -> tries > 1 && retries(command, t) ? handle(command, now, tries - 1)
        : Future.failedFuture(t));
  }

  private static boolean retries(RouteCommand command, Throwable t) {
    if (!(t instanceof CommandRefusal refusal) || !"stale_revision".equals(refusal.code())) {
      return false;
    }
    long expected = command instanceof RouteCommand.Activate c ? c.expectedRevision()
        : command instanceof RouteCommand.Rollback c ? c.expectedRevision()
        : command instanceof RouteCommand.Resume c ? c.expectedRevision()
        : command instanceof RouteCommand.AutoFallbackOverride c ? c.expectedRevision() : 0;
    return expected < 0;
  }

  private Future<JsonObject> handleOnce(RouteCommand command, Instant now) {
    try {
      if (command instanceof RouteCommand.Activate c) {
        ScopeKey scope = c.scope().in(environment);
        return move(scope, c.action(), c.operator(), c.reason(), c.force(), c.drill(),
            () -> routes.proposeActivation(scope, c.routeVersion(), c.expectedRevision(), now, c.force()), now);
      }
      if (command instanceof RouteCommand.Rollback c) {
        ScopeKey scope = c.scope().in(environment);
        return move(scope, c.action(), c.operator(), c.reason(), false, null,
            () -> routes.proposeRollback(scope, c.expectedRevision(), now), now);
      }
      if (command instanceof RouteCommand.Resume c) {
        return resume(c, now);
      }
      if (command instanceof RouteCommand.AutoFallbackOverride c) {
        return autoFallback(c, now);
      }
      if (command instanceof RouteCommand.GateChange c) {
        return gate(c, now);
      }
      if (command instanceof RouteCommand.Audit c && c.cluster()) {
        return sources.clusterAudit().apply(c.clampedLimit());
      }
      if (command instanceof RouteCommand.Audit c) {
        return sources.auditTail().apply(c.clampedLimit()).map(entries ->
            new JsonObject().put("entries", new JsonArray(new java.util.ArrayList<>(entries))));
      }
      return status();
    } catch (RuntimeException refused) {
      return Future.failedFuture(refusal(refused, "route_version"));
    }
  }

  private Future<JsonObject> move(ScopeKey scope, String action, String operator, String reason, boolean forced,
      String drill, Supplier<RouteTable.Proposal> propose, Instant now) {
    RouteTable.Proposal proposal = propose(propose, "route_version");
    String from = proposal.base().pointers().get(scope);
    String to = proposal.next().pointers().get(scope);
    JsonObject entry = entry(action, proposal, now).put("operator", operator).put("reason", reason)
        .put("scope", scope.toJson()).put("from", from).put("to", to);
    if (forced) {
      entry.put("forced", true);
    }
    if (drill != null) {
      // Counted as the drill's change (turnout_route_changes_total{source="drill"}).
      entry.put("drill", drill);
    }
    Future<JsonObject> evidence = RouteCommand.Activate.ACTION.equals(action) ? guard.operator(scope, proposal, forced)
        : Future.succeededFuture();
    return evidence.compose(consulted -> {
      if (consulted != null) {
        entry.put("probe_evidence", consulted);
      }
      return committed(proposal, entry, "changed");
    });
  }

  private Future<JsonObject> resume(RouteCommand.Resume c, Instant now) {
    ScopeKey scope = c.scope().in(environment);
    ScopeControl held = routes.current().pointers().control(scope);
    if (c.canaryShare() == null && !held.frozen() && !held.paused()) {
      throw CommandRefusal.invalid("tenant_or_cohort", "scope " + scope + " is neither frozen nor paused");
    }
    Double share = c.canaryShare() == null ? held.canaryShare() : c.canaryShare();
    String serving = routes.current().pointers().get(scope);
    double inForce = serving == null || routes.current().map().version(serving) == null ? 0
        : held.shareFor(routes.current().map().version(serving));
    boolean expands = held.frozen() || (c.canaryShare() != null && c.canaryShare() > inForce);
    if (expands && !c.force() && breaches.breaching(scope)) {
      throw new CommandRefusal(409, "scope_breaching", "scope " + scope + " breaches a rollback gate now (GET "
          + "/admin/gates): resuming it would let it expand; wait for the gates to pass, or resume with force: true "
          + "(audited)", "force");
    }
    // A resume starts a new evaluation epoch: the held scope's old verdicts do not follow it.
    long epoch = routes.revision() + 1;
    RouteTable.Proposal proposal = propose(() -> routes.proposeControl(scope,
        held.keepOverride(new ScopeControl(epoch, share, false, null, null)), c.expectedRevision(), now),
        "model_alias");
    JsonObject entry = entry(c.action(), proposal, now).put("operator", c.operator()).put("reason", c.reason())
        .put("scope", scope.toJson()).put("from", proposal.base().pointers().control(scope).toJson())
        .put("to", proposal.next().pointers().control(scope).toJson());
    if (c.force()) {
      entry.put("forced", true);
    }
    return committed(proposal, entry, "changed");
  }

  private Future<JsonObject> autoFallback(RouteCommand.AutoFallbackOverride c, Instant now) {
    ScopeKey scope = c.scope().in(environment);
    ScopeControl held = routes.current().pointers().control(scope);
    RouteTable.Proposal proposal = propose(() -> routes.proposeControl(scope,
        held.withAutoFallbackOverride(c.enabled() ? c.operator() + ": " + c.reason() : null), c.expectedRevision(), now),
        "model_alias");
    JsonObject entry = entry(c.action(), proposal, now).put("operator", c.operator()).put("reason", c.reason())
        .put("scope", scope.toJson()).put("enabled", c.enabled());
    return committed(proposal, entry, "changed");
  }

  /** A gate's change: made only on the exact revision the verdict was computed on. */
  private Future<JsonObject> gate(RouteCommand.GateChange c, Instant now) {
    ScopeKey scope = c.scope().in(environment);
    RouteTable.Proposal proposal = propose(() -> c.rollbackTo() != null
        ? routes.proposeActivation(scope, c.rollbackTo(), c.expectedRevision(), now, true)
        : routes.proposeControl(scope, c.control(), c.expectedRevision(), now), "rollback_to");
    JsonObject entry = entry(c.action(), proposal, now).put("operator", "gate:" + c.gate()).put("reason", c.reason())
        .put("decision", c.decision()).put("scope", scope.toJson()).put("from", proposal.base().pointers().get(scope))
        .put("to", proposal.next().pointers().get(scope))
        .put("control", proposal.next().pointers().control(scope).toJson()).put("verdict", c.verdict());
    return committed(proposal, entry, "gate_action");
  }

  private Future<JsonObject> status() {
    RouteSnapshot s = routes.current();
    JsonObject status = new JsonObject().put("node", nodeId).put("environment", environment)
        .put("revision", s.pointers().revision()).put("source", s.source()).put("applied_at", s.appliedAt().toString())
        .put("pointers", s.pointers().pointersJson());
    sources.details().apply(status).put("route_map", s.map().toJson());
    return sources.members().get().map(members -> status.put("members", members)).otherwise(status);
  }

  private Future<JsonObject> committed(RouteTable.Proposal proposal, JsonObject entry, String eventType) {
    return commit.commit(proposal, entry, null).recover(t -> Future.failedFuture(refusal(t, null))).map(v -> {
      events.accept(entry.copy().put("type", eventType).put("node", nodeId));
      return entry;
    });
  }

  private static RouteTable.Proposal propose(Supplier<RouteTable.Proposal> propose, String field) {
    try {
      return propose.get();
    } catch (RuntimeException refused) {
      throw refusal(refused, field);
    }
  }

  /** {@code t} as a refusal: a stale revision is a 409, a proposal's objection a 400 naming the likely field. */
  static CommandRefusal refusal(Throwable t, String field) {
    if (t instanceof CommandRefusal refusal) {
      return refusal;
    }
    if (t instanceof RouteTable.StaleRevisionException) {
      return new CommandRefusal(409, "stale_revision", t.getMessage(), "expected_revision");
    }
    if (t instanceof IllegalArgumentException) {
      String message = String.valueOf(t.getMessage());
      return CommandRefusal.invalid(message.startsWith("no alias named") ? "model_alias" : field, message);
    }
    return CommandRefusal.of(t);
  }

  /** The audit entry's common part: when, where, what, and the pointers the change leaves. */
  static JsonObject entry(String action, RouteTable.Proposal proposal, String nodeId, Instant now) {
    return new JsonObject().put("time", now.toString()).put("node", nodeId).put("action", action)
        .put("revision", proposal.next().pointers().revision())
        .put("pointers", proposal.next().pointers().pointersJson())
        .put("file_pointers", proposal.next().map().active().pointersJson());
  }

  private JsonObject entry(String action, RouteTable.Proposal proposal, Instant now) {
    return entry(action, proposal, nodeId, now);
  }
}
