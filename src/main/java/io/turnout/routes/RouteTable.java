package io.turnout.routes;

import io.turnout.config.ConfigException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's current routing state, read by every event loop on every request and replaced
 * atomically. A change is first proposed (checked as a whole against the running state, nothing
 * applied), then committed with a compare-and-set on the snapshot it was proposed from, so the
 * caller can make it durable in between and a stale proposal loses. Reads are one volatile load.
 *
 * <p>Pointers have two writers: the route map file's {@code active} section and operators
 * (activate, roll back), plus expiry. A file edit moves only the pointers whose line in the file
 * changed; a pointer an operator moved stays where it is until the file or an operator moves it.
 */
public final class RouteTable implements RouteView {

  /** A proposed next state and the snapshot it must replace. */
  public record Proposal(RouteSnapshot base, RouteSnapshot next, List<Reversion> reversions) {
    /** Whether the pointers differ from the base's. */
    public boolean changesPointers() {
      return !next.pointers().byScope().equals(base.pointers().byScope());
    }

    /**
     * Whether applying it would change nothing that serves traffic: the same pointers and scope
     * controls, the same aliases and versions (the map's own {@code active} section aside, which
     * only records what some member's file said).
     */
    public boolean changesNothing() {
      return !changesPointers() && next.pointers().controls().equals(base.pointers().controls())
          && definitions(next.map()).equals(definitions(base.map()));
    }

    private static io.vertx.core.json.JsonObject definitions(RouteMap map) {
      io.vertx.core.json.JsonObject json = map.toJson();
      json.remove("active");
      return json;
    }
  }

  /** A compare-and-set lost: somebody changed the state after the caller read it. */
  public static final class StaleRevisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StaleRevisionException(long expected, long actual) {
      super("stale revision: expected " + expected + ", the state is at " + actual, null, false, false);
    }
  }

  private final AtomicReference<RouteSnapshot> current;

  public RouteTable(RouteSnapshot initial) {
    this.current = new AtomicReference<>(initial);
  }

  /**
   * The state for a freshly loaded map, with {@code pointers} in force (the file's, or ones
   * restored from the audit log). Pointers that name versions already expired move to their
   * rollback versions at once (a node must be able to start after a version expired); the
   * reversions are returned so the caller can say so.
   */
  public static Initial initial(RouteMap map, ActivePointers pointers, String source, Instant now) {
    ExpiryResult expiry = pointers.expire(map, now);
    return new Initial(new RouteTable(new RouteSnapshot(map, expiry.pointers(), source, now)), expiry.reversions());
  }

  /** A new table and the reversions applied while creating it. */
  public record Initial(RouteTable table, List<Reversion> reversions) {}

  @Override
  public RouteSnapshot current() {
    return current.get();
  }

  /** The current pointer revision. */
  public long revision() {
    return current.get().pointers().revision();
  }

  /**
   * Proposes a new map from the route map file.
   *
   * @throws ConfigException naming the file and field, when a version changed in place (the
   *     first field that differs: {@code routes[0].timeout_ms}), a pointer the file held is gone
   *     ({@code active}: take a scope out of service with a {@code disabled} version instead), a
   *     moved pointer targets an expired version or a pointer in force would name a version the
   *     new map no longer has
   */
  public Proposal proposeFile(RouteMap map, String source, Instant now) {
    return proposeFile(map, current.get().map().active(), source, now);
  }

  /**
   * As {@link #proposeFile(RouteMap, String, Instant)}, the edit judged against {@code previous}:
   * the {@code active} section of the file's own version this node applied last (not the map in
   * force, which may come from another member's file). Only the pointers whose line differs from
   * {@code previous} move; every other pointer stays where the cluster has it.
   */
  public Proposal proposeFile(RouteMap map, ActivePointers previous, String source, Instant now) {
    RouteSnapshot base = current.get();
    int index = 0;
    for (RouteVersion version : map.versions().values()) {
      RouteVersion running = base.map().version(version.routeVersion());
      if (running != null && !running.toJson().equals(version.toJson())) {
        // A version is a frozen record: what was tested and audited under its name must not change.
        String field = FrozenVersions.firstDifference(running.toJson(), version.toJson());
        throw new ConfigException(source, "routes[" + index + "]" + (field.isEmpty() ? "" : "." + field),
            "route version " + version.routeVersion() + " changed in place; versions are immutable: add a new"
                + " route_version instead");
      }
      index++;
    }
    Map<ScopeKey, String> before = previous.byScope();
    Map<ScopeKey, String> after = map.active().byScope();
    Map<ScopeKey, String> next = new LinkedHashMap<>(base.pointers().byScope());
    Set<ScopeKey> scopes = new LinkedHashSet<>(before.keySet());
    scopes.addAll(after.keySet());
    for (ScopeKey scope : scopes) {
      String was = before.get(scope);
      String now_ = after.get(scope);
      if (Objects.equals(was, now_)) {
        continue;
      }
      if (now_ == null) {
        // An emptied pointer would leave the scope unserved by accident (a lost line, `active: []`).
        throw new ConfigException(source, "active", "the edit removes the pointer of scope " + scope + " (it was on "
            + was + "); pointers cannot be removed by an edit: to take the scope out of service, point it at a"
            + " version with mode: disabled");
      } else if (map.version(now_).isExpired(now)) {
        throw new ConfigException(source, "active", "scope " + scope + " cannot be activated on " + now_
            + ": it expired at " + map.version(now_).expiresAt());
      } else {
        ScopeControl held = base.pointers().control(scope);
        String serving = base.pointers().get(scope);
        if ((held.frozen() || held.paused()) && serving != null && !now_.equals(serving)
            && !map.isRecovery(serving, now_)) {
          // A freeze holds against the file as against an operator: only a way back is open.
          throw new ConfigException(source, "active", "scope " + scope + " is " + (held.paused() ? "paused" : "frozen")
              + " by " + held.heldBy() + ": a file edit may only move it back along its rollback chain, not to "
              + now_ + "; resume the scope, or have an operator force the activation (audited)");
        }
        next.put(scope, now_);
      }
    }
    for (Map.Entry<ScopeKey, String> pointer : next.entrySet()) {
      if (map.version(pointer.getValue()) == null) {
        throw new ConfigException(source, "routes", "route version " + pointer.getValue() + " is active for scope "
            + pointer.getKey() + " and cannot be removed: move the scope to another version first");
      }
    }
    // One revision for the edit and any expiry it brings along.
    ActivePointers moved = base.pointers().successor(next);
    ExpiryResult expiry = moved.expire(map, now);
    ActivePointers pointers = expiry.changed() ? base.pointers().successor(expiry.pointers().byScope()) : moved;
    return new Proposal(base, new RouteSnapshot(map, pointers, source, now), expiry.reversions());
  }

  /**
   * Proposes moving a scope to a version (an operator's forward cutover or rollback).
   *
   * @param expectedRevision the revision the operator saw, or a negative value to skip the check
   * @throws StaleRevisionException when the state moved on since the operator read it
   * @throws IllegalArgumentException when the version cannot serve the scope (message safe to show)
   */
  public Proposal proposeActivation(ScopeKey scope, String routeVersion, long expectedRevision, Instant now) {
    return proposeActivation(scope, routeVersion, expectedRevision, now, false);
  }

  /**
   * As {@link #proposeActivation(ScopeKey, String, long, Instant)}; on a frozen or paused scope
   * only a recovery ({@link RouteMap#isRecovery}: along the rollback chain, to the alias's
   * {@code rollback_target} or to a baseline) is allowed, unless {@code force}.
   */
  public Proposal proposeActivation(ScopeKey scope, String routeVersion, long expectedRevision, Instant now,
      boolean force) {
    RouteSnapshot base = current.get();
    checkRevision(base, expectedRevision);
    base.map().checkActivation(scope, routeVersion, now);
    ScopeControl held = base.pointers().control(scope);
    if (!force && (held.frozen() || held.paused())
        && !base.map().isRecovery(base.pointers().get(scope), routeVersion)) {
      throw new IllegalArgumentException("scope " + scope + " is " + (held.paused() ? "paused (" + held.pausedReason()
          + ")" : "frozen") + " by " + held.heldBy() + ": only a rollback is allowed; resume the scope or force "
          + "the activation with a reason");
    }
    RouteSnapshot next = new RouteSnapshot(base.map(), base.pointers().with(scope, routeVersion), base.source(), now);
    return new Proposal(base, next, List.of());
  }

  /**
   * Proposes moving a scope to the rollback version of the version it serves now, or, when the
   * scope has no pointer, to its alias's {@code rollback_target}: recovery never needs force.
   *
   * @throws IllegalArgumentException when the scope is already on a baseline, or the alias's
   *     rollback target cannot serve it
   */
  public Proposal proposeRollback(ScopeKey scope, long expectedRevision, Instant now) {
    RouteSnapshot base = current.get();
    checkRevision(base, expectedRevision);
    String active = base.pointers().get(scope);
    if (active == null) {
      AliasRecord alias = base.map().alias(scope.modelAlias());
      if (alias == null) {
        throw new IllegalArgumentException("no alias named " + scope.modelAlias());
      }
      return proposeActivation(scope, alias.rollbackTarget(), expectedRevision, now);
    }
    RouteVersion version = base.map().version(active);
    if (version.isBaseline()) {
      throw new IllegalArgumentException("scope " + scope + " is on " + active
          + ", a baseline that rolls back to itself");
    }
    // A rollback always lands: an expired rollback version is walked past, as expiry walks it.
    RollbackChain.Outcome landing = RollbackChain.follow(base.map(), version.rollbackRouteVersion(), now);
    String target = landing.effective() != null && !landing.effective().isExpired(now)
        ? landing.effective().routeVersion() : version.rollbackRouteVersion();
    return proposeActivation(scope, target, expectedRevision, now);
  }

  /**
   * Proposes holding {@code control} on a scope (a gate's stop, reduce or pause, or an operator's
   * resume) without moving its pointer.
   *
   * @throws StaleRevisionException when the state moved on since {@code expectedRevision}
   */
  public Proposal proposeControl(ScopeKey scope, ScopeControl control, long expectedRevision, Instant now) {
    RouteSnapshot base = current.get();
    checkRevision(base, expectedRevision);
    RouteSnapshot next = new RouteSnapshot(base.map(), base.pointers().withControl(scope, control), base.source(),
        now);
    return new Proposal(base, next, List.of());
  }

  /** Proposes moving every expired pointer to its rollback version, or returns null when none expired. */
  public Proposal proposeExpiry(Instant now) {
    RouteSnapshot base = current.get();
    ExpiryResult expiry = base.pointers().expire(base.map(), now);
    if (!expiry.changed()) {
      return null;
    }
    return new Proposal(base, new RouteSnapshot(base.map(), expiry.pointers(), base.source(), now),
        expiry.reversions());
  }

  /**
   * Replaces the state with one another member decided (the cluster's), whatever this node held.
   *
   * @return the state it replaced
   */
  public RouteSnapshot adopt(RouteSnapshot next) {
    return current.getAndSet(next);
  }

  /** Applies a proposal if nothing changed since it was made; returns whether it did. */
  public boolean commit(Proposal proposal) {
    return current.compareAndSet(proposal.base(), proposal.next());
  }

  private static void checkRevision(RouteSnapshot base, long expectedRevision) {
    if (expectedRevision >= 0 && expectedRevision != base.pointers().revision()) {
      throw new StaleRevisionException(expectedRevision, base.pointers().revision());
    }
  }
}
