package io.turnout.controlplane.routes;

import io.turnout.controlplane.cluster.RouteStateStore;
import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.audit.AuditLog;

/**
 * This member's side of the route state every member serves ({@link RouteStateStore}): commits
 * changes with a compare-and-set on the exact text last applied, joins the members that already
 * run, and adopts what another member decided. Every change is audited before it is acknowledged.
 * Run its methods one after another on one context (the route control verticle's queue).
 *
 * <p>The shared text is bounded ({@code maxStateChars}): a change whose state would exceed it is
 * refused before anything is written, so an oversized route map can never reach the cluster map
 * and wedge every later change on a text nobody can decode.
 */
public final class ClusterRouteState implements RouteCommit {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRouteState.class);
  /** Published (cluster-wide) when a member changed the shared route state: {@code {revision, node}}. */
  public static final String STATE_ADDRESS = "turnout.route.state";
  /** Published when a member applies a revision: {@code {node, revision}}. */
  public static final String MEMBER_APPLIED_ADDRESS = "turnout.route.member.applied";

  private final Vertx vertx;
  private final RouteTable routes;
  private final AuditLog audit;
  private final RouteStateStore store;
  private final RouteMapReader reader;
  private final String nodeId;
  private final Clock clock;
  private final long maxStateChars;
  private final long memberTtlMillis;
  /** The route map text in force (the cluster's, which may come from another member's file). */
  private String routesText;
  /** The shared state text this member applied last: the expected value of its next compare-and-set. */
  private String stateText;
  /** Whether a member finding no shared state lets the members present compare first ({@link FirstState}). */
  private final boolean peersFirst;
  /** When this member's acknowledgement was first written (a quorum was there), or null. */
  private java.time.Instant firstAcknowledged;
  private String waitingFor;
  private final io.vertx.core.Promise<Void> joined = io.vertx.core.Promise.promise();

  public ClusterRouteState(Vertx vertx, RouteTable routes, AuditLog audit, RouteStateStore store,
      RouteMapReader reader, String nodeId, Clock clock, String routesText, long maxStateChars, long memberTtlMillis,
      boolean peersFirst) {
    this.peersFirst = peersFirst;
    this.vertx = vertx;
    this.routes = routes;
    this.audit = audit;
    this.store = store;
    this.reader = reader;
    this.nodeId = nodeId;
    this.clock = clock;
    this.routesText = routesText;
    this.maxStateChars = maxStateChars;
    this.memberTtlMillis = memberTtlMillis;
  }

  /**
   * A compare-and-set on the shared state (a stale proposal loses, and this member catches up),
   * then the audit log, forced to disk, then this member's own table; only then is the change
   * acknowledged and announced to the other members.
   */
  @Override
  public Future<Void> commit(RouteTable.Proposal proposal, JsonObject entry, String nextRoutesText) {
    if (stateText == null && peersFirst) {
      // Not joined yet: a change now would write the cluster's first state past the comparison.
      return Future.failedFuture(FirstState.notJoined(firstAcknowledged != null, waitingFor));
    }
    String text = nextRoutesText == null ? routesText : nextRoutesText;
    long base = proposal.base().pointers().revision();
    // The change's own audit entry travels with the state, so every member's log holds it whole.
    String next = RouteStateStore.encode(proposal.next().pointers(), text, proposal.next().source(), nodeId,
        entry.getString("action"), entry);
    if (next.length() > maxStateChars) {
      return Future.failedFuture(new CommandRefusal(413, "route_state_too_large", "the route state would be "
          + next.length() + " characters, over the " + maxStateChars + " the cluster map takes; nothing changed", null));
    }
    return store.read().compose(current -> {
      // The exact text this member applied, nothing else: another member's state is newer. A text
      // nobody can decode is nobody's decision: it is replaced (on its exact text) rather than
      // left to refuse every later change.
      if (current != null && !current.equals(stateText) && RouteStateStore.revisionOf(current) >= 0) {
        return Future.failedFuture(new RouteTable.StaleRevisionException(base, RouteStateStore.revisionOf(current)));
      }
      if (current != null && !current.equals(stateText)) {
        LOG.warn("The shared route state ({} characters) cannot be decoded; revision {} replaces it", current.length(),
            proposal.next().pointers().revision());
      }
      return (current == null ? store.initialize(next).map(existing -> existing == null)
          : store.compareAndSet(current, next)).compose(won -> won ? Future.<Void>succeededFuture()
          : Future.failedFuture(new RouteTable.StaleRevisionException(base, base + 1)));
    }).recover(lost -> lost instanceof RouteTable.StaleRevisionException
        // Another member changed the state first: take its state, then report the loss.
        ? sync().transform(v -> Future.failedFuture(lost)) : Future.failedFuture(lost))
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          audit.append(entry);
          return null;
        }).transform(audited -> {
          // The shared state has moved already: this member serves it whatever happened to its log.
          routes.adopt(proposal.next());
          applied(next);
          routesText = text;
          vertx.eventBus().publish(STATE_ADDRESS, new JsonObject()
              .put("revision", proposal.next().pointers().revision()).put("node", nodeId));
          Future<Void> acknowledged = acknowledge();
          if (audited.succeeded()) {
            return acknowledged;
          }
          LOG.error("Audit log {} not writable: {}", audit.file(), audited.cause().toString());
          return acknowledged.transform(x -> Future.failedFuture(new CommandRefusal(500, "audit_failed",
              "the change applied, but this member's audit log could not be written", null)));
        }));
  }

  /** Whether this member serves the cluster's shared state (not while starting without a quorum, or waiting). */
  public boolean isJoined() {
    return stateText != null;
  }

  /** Completes once this member serves the cluster's shared state (at once when not clustered). */
  public Future<Void> whenJoined() {
    return joined.future();
  }

  private void applied(String state) {
    stateText = state;
    joined.tryComplete();
  }

  /**
   * On start, and until it has joined: adopt the shared state if members already run, else make this
   * member's the shared state (with {@link #peersFirst}, once no member present serves a newer one).
   */
  public Future<Void> join() {
    String mine = RouteStateStore.encode(routes.current().pointers(), routesText, routes.current().source(), nodeId,
        "join");
    Future<Boolean> mayWrite = !peersFirst ? Future.succeededFuture(true) : store.read().compose(existing ->
        existing != null ? Future.succeededFuture(true) : store.members().map(this::firstStateDecision));
    return mayWrite.compose(write -> !write ? Future.<Void>succeededFuture() : store.initialize(mine)
        .compose(existing -> {
          if (existing == null) {
            applied(mine);
            return acknowledge();
          }
          return joinExisting(existing, mine);
        })).recover(this::quorumAtJoin);
  }

  private boolean firstStateDecision(JsonObject acks) {
    FirstState.Decision decision = FirstState.decide(nodeId, routes.revision(), FirstState.revisions(acks),
        firstAcknowledged, clock.instant());
    if (!decision.write() && !decision.waitReason().equals(waitingFor)) {
      LOG.info("No shared route state yet; this member waits: {}", decision.waitReason());
    }
    waitingFor = decision.waitReason();
    return decision.write();
  }

  private Future<Void> quorumAtJoin(Throwable failed) {
    if (failed instanceof CommandRefusal refusal && "no_quorum".equals(refusal.code())) {
      // A member always starts: it serves its own state and joins once a majority is up (said once).
      if (!"no quorum".equals(waitingFor)) {
        LOG.warn("No quorum of cluster members yet: serving route revision {} from this member until a majority "
            + "has joined", routes.revision());
      }
      waitingFor = "no quorum";
      return Future.succeededFuture();
    }
    return Future.failedFuture(failed);
  }

  /** Another member's state is there: a newer revision of this member's wins (written back), else it is adopted. */
  private Future<Void> joinExisting(String existing, String mine) {
    long theirs = RouteStateStore.revisionOf(existing);
    if (theirs >= 0 && theirs < routes.revision()) {
      // This member's audit log holds a newer revision than the members running (it was up when
      // they were not): revisions never go backwards, so the newest wins.
      LOG.warn("Members serve route revision {}, this member's audit log holds revision {}: the newer one wins",
          theirs, routes.revision());
      return writeBack(existing, mine);
    }
    LOG.info("Joining members that serve route revision {}", theirs);
    return adopt(existing);
  }

  /**
   * Applies the shared state when another member moved it on (or, every few seconds, to converge
   * after a partition healed): a newer revision, or the same revision with other contents (the
   * cluster's state wins over what this side served); an older one is replaced by this member's
   * ({@link #restore}). A member that has not joined yet (no quorum at its start) tries to join.
   */
  public Future<Void> sync() {
    if (stateText == null) {
      return join();
    }
    return store.read().compose(state -> {
      if (state == null || state.equals(stateText)) {
        return Future.succeededFuture();
      }
      if (RouteStateStore.revisionOf(state) < routes.revision()) {
        return restore(state);
      }
      return adopt(state);
    });
  }

  /**
   * The shared state went back behind what this member serves: after a partition healed, the
   * side that lost Hazelcast's merge may be the one that committed the newer revision (the merge
   * keeps the larger side's entry, whatever its revision). Revisions never go backwards: this
   * member writes its newer state back (compare-and-set on the old text, so a change made
   * meanwhile wins), and the others adopt it. Left alone, the old state would refuse every change
   * of this member (409) and let another member commit this member's revision number again with
   * other pointers.
   */
  private Future<Void> restore(String older) {
    LOG.warn("The cluster's route state went back to revision {} while this member serves revision {}: the newer "
        + "one wins", RouteStateStore.revisionOf(older), routes.revision());
    String mine = RouteStateStore.encode(routes.current().pointers(), routesText, routes.current().source(), nodeId,
        "restore");
    return writeBack(older, mine);
  }

  /** Replaces {@code older} with this member's state (compare-and-set: a change made meanwhile wins, and is adopted). */
  private Future<Void> writeBack(String older, String mine) {
    return store.compareAndSet(older, mine).compose(won -> {
      if (!won) {
        return sync();
      }
      applied(mine);
      vertx.eventBus().publish(STATE_ADDRESS, new JsonObject().put("revision", routes.revision()).put("node", nodeId));
      return acknowledge();
    });
  }

  private Future<Void> adopt(String state) {
    // Parsing a route map is CPU work: off the event loop.
    return vertx.executeBlocking(() -> AdoptedState.snapshot(reader, state, clock.instant())).transform(read -> {
      if (read.failed()) {
        // This member cannot serve what the others decided (e.g. a provider it does not configure): say so loudly.
        LOG.error("Route revision {} cannot be applied here, this member keeps revision {}: {}",
            RouteStateStore.revisionOf(state), routes.revision(), read.cause().getMessage());
        return Future.succeededFuture();
      }
      RouteSnapshot snapshot = read.result();
      JsonObject json = new JsonObject(state);
      JsonObject entry = AdoptedState.auditEntry(json, snapshot, nodeId, clock.instant());
      return vertx.executeBlocking(() -> {
        audit.append(entry);
        return null;
      }).otherwise(e -> {
        LOG.error("Audit log {} not writable: {}", audit.file(), e.toString());
        return null;
      }).compose(v -> {
        routes.adopt(snapshot);
        applied(state);
        routesText = json.getString("routes_text");
        LOG.info("Route revision {} from node {} applied", snapshot.pointers().revision(), json.getString("node"));
        vertx.eventBus().publish(RouteEvents.ADDRESS, RouteEvents.applied(snapshot, nodeId, clock.instant())
            .put("adopted_from", json.getString("node")));
        return acknowledge();
      });
    });
  }

  /** Tells the members which revision this member serves (and renews the record, which expires). */
  public Future<Void> acknowledge() {
    long revision = routes.revision();
    vertx.eventBus().publish(MEMBER_APPLIED_ADDRESS, new JsonObject().put("node", nodeId).put("revision", revision));
    return renew();
  }

  /**
   * Renews this member's acknowledgement of the revision it serves (every few seconds, also before
   * it joined: that is how starting members compare revisions). Never fails: without a quorum the
   * write is refused, and the record stays as it was.
   */
  public Future<Void> renew() {
    return store.acknowledge(nodeId, routes.revision(), clock.instant().toString(), memberTtlMillis)
        .onSuccess(v -> {
          if (firstAcknowledged == null) {
            firstAcknowledged = clock.instant();
          }
        }).otherwiseEmpty();
  }
}
