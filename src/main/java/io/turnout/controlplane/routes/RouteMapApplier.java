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

/**
 * The route changes nobody commands: route map file edits (as a {@link RouteMapReceiver}) and
 * expiry reversions. An edit is checked against the running state ({@link RouteTable#proposeFile}:
 * frozen versions, removed pointers, expired targets), guarded by probe evidence, and committed;
 * an edit that changes nothing (comments, whitespace, key order) is no change at all: no revision,
 * no audit entry. Run one after another with the other changes.
 */
public final class RouteMapApplier implements RouteMapReceiver {


  private final RouteTable routes;
  private final String file;
  private final RouteCommit commit;
  private final RouteProbeGuard guard;
  private final Consumer<JsonObject> events;
  private final String nodeId;
  private final Clock clock;

  /** @param file the watched route map file, as named in audit entries and refusals */
  public RouteMapApplier(RouteTable routes, String file, RouteCommit commit, RouteProbeGuard guard,
      Consumer<JsonObject> events, String nodeId, Clock clock) {
    this.routes = routes;
    this.file = file;
    this.commit = commit;
    this.guard = guard;
    this.events = events;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  @Override
  public Future<Boolean> receive(String text, RouteMap map) {
    if (map.toJson().equals(routes.current().map().toJson())) {
      // The same versions, aliases and pointers: nothing to apply, audit or announce.
      return Future.succeededFuture(false);
    }
    RouteTable.Proposal proposal;
    try {
      proposal = routes.proposeFile(map, file, clock.instant());
    } catch (ConfigException refused) {
      return Future.failedFuture(refused);
    }
    return guard.fileEdit(proposal).compose(refusal -> refusal != null
        ? Future.failedFuture(new ConfigException(file, "active", refusal)) : apply(proposal, text));
  }

  private Future<Boolean> apply(RouteTable.Proposal proposal, String text) {
    JsonObject entry = RouteCommandHandler.entry("file", proposal, nodeId, clock.instant())
        .put("operator", "file:" + file).put("versions", proposal.next().map().versions().size());
    return commit.commit(proposal, entry, text).transform(done -> {
      if (done.succeeded()) {
        RouteSnapshot applied = proposal.next();
        events.accept(RouteEvents.applied(applied, nodeId, clock.instant()));
        proposal.reversions().forEach(this::reportExpiry);
        return Future.succeededFuture(true);
      }
      Throwable cause = done.cause();
      if (cause instanceof CommandRefusal refusal && refusal.status() == 500) {
        // Applied cluster-wide; only this member's audit line is missing (logged by the commit).
        return Future.succeededFuture(true);
      }
      String reason = cause instanceof RouteTable.StaleRevisionException
          // Another member's change won the compare-and-set: this edit is the loser, and says so.
          ? "edit lost to route revision " + routes.revision() + " applied by another member first ("
              + cause.getMessage() + "); edit again on top of it"
          : "edit not applied: " + cause.getMessage();
      return Future.failedFuture(new ConfigException(file, "", reason));
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
