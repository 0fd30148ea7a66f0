package io.turnout.routing;

import io.turnout.config.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's current routing state, read by every event loop on every request and replaced
 * atomically: a new map is checked as a whole against the running state before it is applied,
 * and a rejected map changes nothing. Thread-safe; reads are one volatile load.
 */
public final class RouteTable {

  private final AtomicReference<RouteSnapshot> current;

  public RouteTable(RouteSnapshot initial) {
    this.current = new AtomicReference<>(initial);
  }

  /**
   * The state for a freshly loaded map. Pointers that name versions already expired are moved
   * to their rollback versions at once (a node must be able to start after a version expired);
   * the reversions are returned so the caller can say so.
   */
  public static Initial initial(RouteMap map, String source, Instant now) {
    ExpiryResult expiry = map.active().expire(map, now);
    return new Initial(new RouteTable(new RouteSnapshot(map, expiry.pointers(), source, now)), expiry.reversions());
  }

  /** A new table and the reversions applied while creating it. */
  public record Initial(RouteTable table, List<Reversion> reversions) {}

  public RouteSnapshot current() {
    return current.get();
  }

  /**
   * Applies a new map whose pointers come from the same file. A pointer that changes to a version
   * already expired is refused (an expired version cannot be activated); a pointer the file
   * leaves as it was keeps following its rollback chain.
   *
   * @throws ConfigException naming the file and the scope, with nothing applied
   */
  public RouteSnapshot apply(RouteMap map, String source, Instant now) {
    RouteSnapshot running = current.get();
    for (Map.Entry<ScopeKey, String> pointer : map.active().byScope().entrySet()) {
      String before = running.map().active().get(pointer.getKey());
      RouteVersion target = map.version(pointer.getValue());
      if (!pointer.getValue().equals(before) && target.isExpired(now)) {
        throw new ConfigException(source, "active",
            "scope " + pointer.getKey() + " cannot be activated on " + pointer.getValue() + ": it expired at "
                + target.expiresAt());
      }
    }
    ExpiryResult expiry = map.active().expire(map, now);
    RouteSnapshot next = new RouteSnapshot(map, expiry.pointers(), source, now);
    current.set(next);
    return next;
  }

  /**
   * Moves every pointer whose version has expired to its rollback version.
   *
   * @return the reversions made, empty when nothing expired
   */
  public List<Reversion> expire(Instant now) {
    while (true) {
      RouteSnapshot running = current.get();
      ExpiryResult expiry = running.pointers().expire(running.map(), now);
      if (!expiry.changed()) {
        return List.of();
      }
      RouteSnapshot next = new RouteSnapshot(running.map(), expiry.pointers(), running.source(), now);
      if (current.compareAndSet(running, next)) {
        return new ArrayList<>(expiry.reversions());
      }
    }
  }
}
