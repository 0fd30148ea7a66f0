package io.turnout.controlplane.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.routes.RouteMap;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which versions an activation needs passed probe runs of. */
class ActivationGuardTest {

  private static final RouteMap MAP = RouteMap.parse("routes.yaml", ProbeEndToEndTest.ROUTES,
      Set.of("primary", "cometapi", "claude"), Instant.EPOCH);

  @Test
  void aForwardMove_needsTheTargetAndItsRollback() {
    assertEquals(List.of("chat-comet", "chat-v1"), ActivationGuard.versionsToCheck(MAP, "chat-v1", "chat-comet"));
    assertEquals(List.of("chat-canary", "chat-v1"), ActivationGuard.versionsToCheck(MAP, null, "chat-canary"));
  }

  @Test
  void aMoveToABaselineOrTheAliasRollbackTarget_isARecovery_neverGuarded() {
    // chat-v1 is a baseline and chat's rollback_target: recovery never needs probe evidence (issue 13 item 15)
    assertEquals(List.of(), ActivationGuard.versionsToCheck(MAP, null, "chat-v1"));
    assertEquals(List.of(), ActivationGuard.versionsToCheck(MAP, "chat-canary", "chat-v1"));
  }

  @Test
  void aMoveBackAlongTheRollbackChain_isNeverGuarded() {
    assertEquals(List.of(), ActivationGuard.versionsToCheck(MAP, "chat-comet", "chat-v1"));
    assertEquals(List.of(), ActivationGuard.versionsToCheck(MAP, "chat-v1", "chat-v1"));
  }

  @Test
  void aDisabledVersion_takesNoTraffic_soOnlyItsRollbackIsChecked() {
    assertEquals(List.of("chat-v1"), ActivationGuard.versionsToCheck(MAP, "chat-comet", "chat-off"));
  }

  @Test
  void anUnknownVersion_isLeftToTheActivationCheck() {
    assertEquals(List.of(), ActivationGuard.versionsToCheck(MAP, "chat-v1", "nope"));
  }
}
