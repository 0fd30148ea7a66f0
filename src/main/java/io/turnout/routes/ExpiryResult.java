package io.turnout.routes;

import java.util.List;

/**
 * The outcome of {@link ActivePointers#expire}.
 *
 * @param pointers the pointers after the sweep; the same instance when nothing moved
 * @param reversions the pointers that moved, in scope order of the input
 * @param stranded scopes whose active version cannot serve and cannot be moved: its rollback chain
 *     is all expired and loops, or the version is missing from the map. They stay as they are
 *     (requests get {@code NO_ROUTE}) because guessing a target would be an unreviewed route change.
 */
public record ExpiryResult(ActivePointers pointers, List<Reversion> reversions, List<ScopeKey> stranded) {

  public ExpiryResult {
    reversions = List.copyOf(reversions);
    stranded = List.copyOf(stranded);
  }

  /** Whether any pointer moved. */
  public boolean changed() {
    return !reversions.isEmpty();
  }
}
