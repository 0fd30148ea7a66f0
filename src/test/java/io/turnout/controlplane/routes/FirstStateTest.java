package io.turnout.controlplane.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstStateTest {

  private static final Instant ACKED = Instant.parse("2026-12-04T04:00:00Z");
  private static final Instant SETTLED = ACKED.plus(FirstState.SETTLE);

  @Test
  void aMemberWithoutQuorum_orBeforeTheAcknowledgementsSettled_waits() {
    assertFalse(FirstState.decide("m3", 3, Map.of(), null, SETTLED).write());
    assertFalse(FirstState.decide("m3", 3, Map.of("m3", 3L, "m2", 5L), ACKED, SETTLED.minusMillis(1)).write());
  }

  @Test
  void aStaleMember_waitsForTheNewestToWrite_andTheNewestWrites() {
    Map<String, Long> acks = Map.of("m3", 3L, "m2", 5L, "m1", 5L);
    FirstState.Decision stale = FirstState.decide("m3", 3, acks, ACKED, SETTLED);
    assertFalse(stale.write());
    assertTrue(stale.waitReason().contains("m2") || stale.waitReason().contains("m1"), stale.waitReason());
    assertTrue(FirstState.decide("m2", 5, acks, ACKED, SETTLED).write());
    assertTrue(FirstState.decide("m1", 5, acks, ACKED, SETTLED).write(), "an equal revision is no reason to wait");
  }
}
