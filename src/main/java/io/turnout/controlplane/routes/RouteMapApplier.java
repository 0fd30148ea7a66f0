package io.turnout.controlplane.routes;

import io.turnout.config.ConfigException;
import io.turnout.routes.Reversion;
import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Consumer;
import io.turnout.controlplane.CommandRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route changes nobody commands: edits of this member's own route map file (as a
 * {@link RouteMapReceiver}) and expiry reversions. An edit is a diff against the version of the
 * file this member applied last ({@link #receive}), checked against the running state
 * ({@link RouteTable#proposeFile}: frozen versions, removed pointers, expired targets), guarded by
 * probe evidence, and committed; an edit that changes nothing (comments, whitespace, key order, or
 * what the cluster serves already) is no change at all: no revision, no audit entry. Run one after
 * another with the other changes.
 */
public final class RouteMapApplier implements RouteMapReceiver {

  private static final Logger LOG = LoggerFactory.getLogger(RouteMapApplier.class);

  /** How many times an edit that lost its compare-and-set to another member is judged again. */
  static final int STALE_RETRIES = 5;

  private final RouteTable routes;
  private final String file;
  private final RouteCommit commit;
  private final RouteProbeGuard guard;
  private final Consumer<JsonObject> events;
  private final String nodeId;
  private final Clock clock;
  private final AppliedCopy applied;
  /** This member's own file as it last applied it: what the next edit is a diff against. */
  private RouteMap previous;

  /** Keeps the text of each own-file version applied (blocking: {@link AppliedRouteFile} on a worker). */
  @FunctionalInterface
  public interface AppliedCopy {
    Future<Void> keep(String text);
  }

  /**
   * @param file the watched route map file, as named in audit entries and refusals
   * @param previous this member's own file as last applied (at start: the {@link AppliedRouteFile}
   *     copy, or the file itself on a first start)
   */
  public RouteMapApplier(RouteTable routes, String file, RouteCommit commit, RouteProbeGuard guard,
      Consumer<JsonObject> events, String nodeId, Clock clock, RouteMap previous, AppliedCopy applied) {
    this.routes = routes;
    this.file = file;
    this.commit = commit;
    this.guard = guard;
    this.events = events;
    this.nodeId = nodeId;
    this.clock = clock;
    this.previous = java.util.Objects.requireNonNull(previous, "previous");
    this.applied = applied;
  }

  /**
   * Applies an edit of this member's own file as a diff against the version of it applied last: a
   * comment, whitespace or key-order edit changes nothing; an edit whose result the cluster already
   * serves (the same edit made to every member's file) changes nothing either; otherwise only the
   * pointers whose {@code active} line changed move, with the file's aliases and versions.
   */
  @Override
  public Future<Boolean> receive(String text, RouteMap map) {
    return receive(text, map, STALE_RETRIES);
  }

  private Future<Boolean> receive(String text, RouteMap map, int retries) {
    if (map.toJson().equals(previous.toJson())) {
      // The same versions, aliases and active lines as this file said before: nothing to apply.
      return remember(text, map).map(false);
    }
    RouteTable.Proposal proposal;
    try {
      proposal = routes.proposeFile(map, previous.active(), file, clock.instant());
    } catch (ConfigException refused) {
      return Future.failedFuture(refused);
    }
    if (proposal.changesNothing()) {
      // What the edit asks for is in force already (another member's identical edit, an operator's flip).
      return remember(text, map).map(false);
    }
    return guard.fileEdit(proposal).compose(refusal -> refusal != null
        ? Future.failedFuture(new ConfigException(file, "active", refusal)) : apply(proposal, text, map, retries));
  }

  private Future<Boolean> apply(RouteTable.Proposal proposal, String text, RouteMap map, int retries) {
    JsonObject entry = RouteCommandHandler.entry("file", proposal, nodeId, clock.instant())
        .put("operator", "file:" + file).put("reason", "route map file edit")
        .put("versions", proposal.next().map().versions().size()).put("changes", moves(proposal));
    return commit.commit(proposal, entry, text).transform(done -> {
      if (done.succeeded() || done.cause() instanceof CommandRefusal refusal && refusal.status() == 500) {
        // (A 500: applied cluster-wide; only this member's audit line is missing, logged by the commit.)
        RouteSnapshot appliedState = proposal.next();
        events.accept(RouteEvents.applied(appliedState, nodeId, clock.instant()));
        proposal.reversions().forEach(this::reportExpiry);
        return remember(text, map).map(true);
      }
      Throwable cause = done.cause();
      if (cause instanceof CommandRefusal unavailable && unavailable.status() == 503) {
        // No quorum on this side, or the cluster starting: the file watcher tries again later.
        return Future.failedFuture(unavailable);
      }
      if (cause instanceof RouteTable.StaleRevisionException && retries > 0) {
        // Another member changed the state first (the commit caught up with it): judge the edit
        // again on top of the state that won; the same edit made there changes nothing now.
        return receive(text, map, retries - 1);
      }
      String reason = cause instanceof RouteTable.StaleRevisionException
          ? "edit lost to route revision " + routes.revision() + " applied by other members " + STALE_RETRIES
              + " times in a row (" + cause.getMessage() + "); edit again on top of it"
          : "edit not applied: " + cause.getMessage();
      return Future.failedFuture(new ConfigException(file, "", reason));
    });
  }

  /** Every pointer the edit moves: {@code [{environment, tenant_or_cohort, model_alias, from, to}]}. */
  private static JsonArray moves(RouteTable.Proposal proposal) {
    JsonArray moves = new JsonArray();
    proposal.next().pointers().byScope().forEach((scope, to) -> {
      String from = proposal.base().pointers().get(scope);
      if (!to.equals(from)) {
        moves.add(scope.toJson().put("from", from).put("to", to));
      }
    });
    return moves;
  }

  /** This version of the file is the base of the next edit, here and after a restart. */
  private Future<Void> remember(String text, RouteMap map) {
    previous = map;
    return applied.keep(text).otherwise(e -> {
      LOG.warn("The applied copy of {} could not be written ({}); a restart diffs the next edit against an older copy",
          file, e.toString());
      return null;
    });
  }

  /** Moves every expired pointer to its rollback version; nothing when none expired. */
  public Future<Void> expire() {
    RouteTable.Proposal proposal = routes.proposeExpiry(clock.instant());
    if (proposal == null) {
      return Future.succeededFuture();
    }
    JsonArray reversions = new JsonArray();
    proposal.reversions().forEach(r -> reversions.add(r.toJson()));
    JsonObject entry = RouteCommandHandler.entry("expired", proposal, nodeId, clock.instant())
        .put("operator", "expiry").put("reversions", reversions);
    return commit.commit(proposal, entry, null).onSuccess(v -> proposal.reversions().forEach(this::reportExpiry))
        .otherwiseEmpty().mapEmpty();
  }

  private void reportExpiry(Reversion reversion) {
    events.accept(RouteEvents.expired(reversion, nodeId, clock.instant()));
  }
}
