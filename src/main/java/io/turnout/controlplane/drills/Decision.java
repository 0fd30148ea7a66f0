package io.turnout.controlplane.drills;

import java.util.List;

/**
 * The {@link DrillMachine}'s answer: the drill's next state (to be stored by compare-and-set) and
 * what the shell must do once it is stored.
 */
public record Decision(Drill state, List<DrillEffect> effects) {

  public Decision {
    effects = List.copyOf(effects);
  }
}
