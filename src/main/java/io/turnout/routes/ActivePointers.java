package io.turnout.routes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The active route version per scope: the only routing state that changes at run time. It is an
 * immutable snapshot, so a holder (an {@code AtomicReference} on one node, a cluster map across
 * nodes) swaps it as a whole and a request never sees half of a change.
 *
 * @param revision incremented by every change, so a cluster layer can reject a stale
 *     compare-and-set and operators can tell two snapshots apart; 0 for pointers read from a file
 * @param byScope scope to route version id, in insertion order
 * @param controls what gates or operators hold per scope; only scopes with a pointer, and only
 *     entries that differ from {@link ScopeControl#NONE}
 */
public record ActivePointers(long revision, Map<ScopeKey, String> byScope, Map<ScopeKey, ScopeControl> controls) {

  /** No pointers at all: every request is {@code NO_ROUTE}. */
  public static final ActivePointers EMPTY = new ActivePointers(0, Map.of());

  public ActivePointers {
    byScope = Collections.unmodifiableMap(new LinkedHashMap<>(byScope));
    Map<ScopeKey, ScopeControl> kept = new LinkedHashMap<>();
    Map<ScopeKey, String> scopes = byScope;
    controls.forEach((scope, control) -> {
      if (scopes.containsKey(scope) && !ScopeControl.NONE.equals(control)) {
        kept.put(scope, control);
      }
    });
    controls = Collections.unmodifiableMap(kept);
  }

  /** Pointers with nothing held on any scope. */
  public ActivePointers(long revision, Map<ScopeKey, String> byScope) {
    this(revision, byScope, Map.of());
  }

  /** The active version id for exactly {@code scope} (no {@code *} lookup), or null. */
  public String get(ScopeKey scope) {
    return byScope.get(scope);
  }

  /** What is held on {@code scope}; {@link ScopeControl#NONE} when nothing is. */
  public ScopeControl control(ScopeKey scope) {
    return controls.getOrDefault(scope, ScopeControl.NONE);
  }

  /**
   * The next revision with {@code next} as the pointers: a scope whose version changed starts a
   * fresh evaluation at the new revision (nothing it held carries over), the others keep theirs.
   */
  public ActivePointers successor(Map<ScopeKey, String> next) {
    long nextRevision = revision + 1;
    Map<ScopeKey, ScopeControl> nextControls = new LinkedHashMap<>();
    next.forEach((scope, version) -> nextControls.put(scope,
        version.equals(byScope.get(scope)) ? control(scope) : ScopeControl.fresh(nextRevision)));
    return new ActivePointers(nextRevision, next, nextControls);
  }

  /** The next revision with {@code control} held on {@code scope} (which must have a pointer). */
  public ActivePointers withControl(ScopeKey scope, ScopeControl control) {
    if (!byScope.containsKey(scope)) {
      throw new IllegalArgumentException("scope " + scope + " has no active version");
    }
    Map<ScopeKey, ScopeControl> copy = new LinkedHashMap<>(controls);
    copy.put(scope, control);
    return new ActivePointers(revision + 1, byScope, copy);
  }

  /**
   * A copy with {@code scope} pointing at {@code routeVersion} and the revision incremented.
   * Check the move first with {@link RouteMap#checkActivation}.
   */
  public ActivePointers with(ScopeKey scope, String routeVersion) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(routeVersion, "routeVersion");
    Map<ScopeKey, String> copy = new LinkedHashMap<>(byScope);
    copy.put(scope, routeVersion);
    return successor(copy);
  }

  /** A copy without a pointer for {@code scope} and the revision incremented. */
  public ActivePointers without(ScopeKey scope) {
    Map<ScopeKey, String> copy = new LinkedHashMap<>(byScope);
    copy.remove(scope);
    return successor(copy);
  }

  /**
   * Moves every pointer whose version has expired at {@code now} to the end of its rollback chain,
   * as request-time resolution already does, so that state, dashboards and the admin API agree
   * with what is served. One revision increment for the whole sweep.
   */
  public ExpiryResult expire(RouteMap map, Instant now) {
    Map<ScopeKey, String> next = new LinkedHashMap<>(byScope);
    List<Reversion> reversions = new ArrayList<>();
    List<ScopeKey> stranded = new ArrayList<>();
    byScope.forEach((scope, id) -> {
      RollbackChain.Outcome outcome = RollbackChain.follow(map, id, now);
      if (outcome.effective() == null) {
        stranded.add(scope);
      } else if (!outcome.effective().routeVersion().equals(id)) {
        next.put(scope, outcome.effective().routeVersion());
        reversions.add(new Reversion(scope, id, outcome.effective().routeVersion(), map.version(id).expiresAt()));
      }
    });
    ActivePointers pointers = reversions.isEmpty() ? this : successor(next);
    return new ExpiryResult(pointers, reversions, stranded);
  }

  /** {@code {revision, pointers: [{environment, tenant_or_cohort, model_alias, route_version}]}}. */
  public JsonObject toJson() {
    return new JsonObject().put("revision", revision).put("pointers", pointersJson());
  }

  /** The pointers in the {@code active} list shape of {@code routes.yaml}. */
  public JsonArray pointersJson() {
    JsonArray list = new JsonArray();
    byScope.forEach((scope, id) -> list.add(control(scope).writeTo(scope.toJson().put("route_version", id))));
    return list;
  }

  /**
   * Reads {@link #toJson()} output (controls included), e.g. a snapshot from a cluster map. Checks only the shape;
   * check the contents against the current map with {@link RouteMap#checkActivation}.
   *
   * @throws IllegalArgumentException on a missing or non-string field
   */
  public static ActivePointers fromJson(JsonObject json) {
    Map<ScopeKey, String> byScope = new LinkedHashMap<>();
    Map<ScopeKey, ScopeControl> controls = new LinkedHashMap<>();
    JsonArray list = json.getJsonArray("pointers", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject p = list.getJsonObject(i);
      ScopeKey scope = ScopeKey.fromJson(p);
      byScope.put(scope, text(p, "route_version"));
      controls.put(scope, ScopeControl.readFrom(p));
    }
    return new ActivePointers(json.getLong("revision", 0L), byScope, controls);
  }

  private static String text(JsonObject json, String key) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("pointer field " + key + " must be a non-empty string");
    }
    return s;
  }
}
