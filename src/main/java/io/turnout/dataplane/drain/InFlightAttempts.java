package io.turnout.dataplane.drain;

import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteView;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's upstream attempts in flight, by scope: in {@link DrainMode#CANCEL}, when a scope's
 * pointer moves, every attempt planned on the version it moved away from is cancelled; in either
 * mode an operator can cancel those planned on given versions no longer in force ({@link #cancel}).
 *
 * <p>Node-wide but lock-free: each event loop registers its attempts in its own {@link Loop}, which
 * only that loop ever touches, so registering an attempt is a plain hash-set add on the loop that
 * runs it. A route change is handed to every loop with {@link Context#runOnContext}, and each loop
 * compares its attempts with the pointers in force <em>at that moment</em>, so a change that
 * lands while an attempt is being planned is never missed: the plan either read the new state or
 * registered before the sweep ran on the same loop.
 */
public final class InFlightAttempts {

  private static final Logger LOG = LoggerFactory.getLogger(InFlightAttempts.class);

  /** A registry that registers nothing (a chat service without a drain: tools and tests); costs nothing. */
  public static final Loop NONE = new Loop(null, null);

  private final RouteView routes;
  private final DrainMode mode;
  private final List<Loop> loops = new CopyOnWriteArrayList<>();

  public InFlightAttempts(RouteView routes, DrainMode mode) {
    this.routes = routes;
    this.mode = mode;
  }

  public DrainMode mode() {
    return mode;
  }

  /**
   * The registry of one event loop's attempts. Attempts are registered in both modes: in finish
   * mode a route change leaves them alone, but an operator may still cancel them ({@link #cancel}).
   */
  public Loop attach(Context context) {
    Loop loop = new Loop(context, routes);
    loops.add(loop);
    return loop;
  }

  /** Stops sweeping a loop (its verticle stopped). */
  public void detach(Loop loop) {
    loops.remove(loop);
  }

  /** A route change was applied: every loop cancels its attempts planned on versions no longer in force. Any thread. */
  public void routesChanged() {
    if (mode != DrainMode.CANCEL) {
      return;
    }
    for (Loop loop : loops) {
      loop.context.runOnContext(v -> loop.sweep(null));
    }
  }

  /**
   * An operator's word (a drill's drain check with {@code cancel_in_flight}): every loop cancels
   * its attempts planned on {@code versions} that are no longer in force, whatever the mode. Any thread.
   */
  public void cancel(Set<String> versions) {
    for (Loop loop : loops) {
      loop.context.runOnContext(v -> loop.sweep(Set.copyOf(versions)));
    }
  }

  /** One event loop's attempts in flight. Confined to that loop: not thread-safe, and never needs to be. */
  public static final class Loop {

    private final Context context;
    private final RouteView routes;
    private final Map<ScopeKey, Set<InFlightAttempt>> byScope = new HashMap<>();

    private Loop(Context context, RouteView routes) {
      this.context = context;
      this.routes = routes;
    }

    /** Whether attempts are registered at all (false in finish mode: attempts are left to finish). */
    public boolean enabled() {
      return context != null;
    }

    /** Registers an attempt that has just started. */
    public void add(ScopeKey scope, InFlightAttempt attempt) {
      byScope.computeIfAbsent(scope, s -> new LinkedHashSet<>()).add(attempt);
    }

    /** Forgets an attempt that ended (the set stays: scopes are few and long-lived). */
    public void remove(ScopeKey scope, InFlightAttempt attempt) {
      Set<InFlightAttempt> attempts = byScope.get(scope);
      if (attempts != null) {
        attempts.remove(attempt);
      }
    }

    /** Cancels attempts planned on versions no longer in force (only those in {@code versions}, unless null). */
    private void sweep(Set<String> versions) {
      ActivePointers pointers = routes.current().pointers();
      List<InFlightAttempt> moved = new ArrayList<>();
      List<String> movedTo = new ArrayList<>();
      for (Map.Entry<ScopeKey, Set<InFlightAttempt>> entry : byScope.entrySet()) {
        String now = pointers.get(entry.getKey());
        int before = moved.size();
        for (Iterator<InFlightAttempt> it = entry.getValue().iterator(); it.hasNext(); ) {
          InFlightAttempt attempt = it.next();
          if (!Objects.equals(attempt.plannedOn(), now)
              && (versions == null || versions.contains(attempt.plannedOn()))) {
            it.remove();
            moved.add(attempt);
            movedTo.add(now);
          }
        }
        if (moved.size() > before) {
          LOG.info("Scope {} moved to {}: cancelling {} upstream attempt(s) in flight on the version it left",
              entry.getKey(), now == null ? "no version" : now, moved.size() - before);
        }
      }
      // Only now: a cancelled attempt may start the request's next one, which registers here again.
      for (int i = 0; i < moved.size(); i++) {
        moved.get(i).drain(movedTo.get(i));
      }
    }
  }
}
