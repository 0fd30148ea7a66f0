package io.turnout.controlplane.routes;

import io.turnout.routes.ScopeKey;
import java.util.Set;

/**
 * Which scopes this member's gates see breaching now (a breach of a gate that is not a dry run),
 * as the gates last judged them: what keeps an operator's resume from expanding a breaching
 * scope without {@code force}. Written by the gate verticle every tick, read by route commands.
 */
public final class ScopeBreaches {

  private volatile Set<ScopeKey> breaching = Set.of();

  /** The gates' latest judgement: these scopes breach. */
  public void update(Set<ScopeKey> scopes) {
    breaching = Set.copyOf(scopes);
  }

  /** Whether {@code scope} breached at the gates' latest tick. */
  public boolean breaching(ScopeKey scope) {
    return breaching.contains(scope);
  }
}
