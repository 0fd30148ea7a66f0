package io.turnout.controlplane.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.SteppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The session store alone: ids, idle and absolute expiry, logout, the bound on open sessions. */
class ConsoleSessionsTest {

  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T03:00:00Z"));
  private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30), Duration.ofHours(2));

  @Test
  void everySessionGetsItsOwnUnguessableIdAndCsrfToken() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ConsoleSessions.Session s = sessions.open("alice");
      assertTrue(s.id().matches("[A-Za-z0-9_-]{43}"), s.id());
      assertNotEquals(s.id(), s.csrf());
      assertTrue(seen.add(s.id()) && seen.add(s.csrf()));
    }
  }

  @Test
  void useKeepsASessionAlive_idlenessEndsIt_andPeekingDoesNotCountAsUse() {
    ConsoleSessions.Session s = sessions.open("alice");

    clock.advance(Duration.ofMinutes(29));
    assertNotNull(sessions.touch(s.id()));
    clock.advance(Duration.ofMinutes(29));
    assertNotNull(sessions.peek(s.id()));
    clock.advance(Duration.ofMinutes(1));

    assertNull(sessions.peek(s.id()), "30 minutes after the last touch");
    assertNull(sessions.touch(s.id()));
  }

  @Test
  void noSessionOutlivesItsMaximum_howeverBusy() {
    ConsoleSessions.Session s = sessions.open("alice");
    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofMinutes(17));
      assertNotNull(sessions.touch(s.id()), "at " + clock.instant());
    }
    clock.advance(Duration.ofMinutes(1));

    assertNull(sessions.touch(s.id()), "2 hours after login");
  }

  @Test
  void closeEndsOnlyThatSession_andUnknownIdsAreNobody() {
    ConsoleSessions.Session a = sessions.open("alice");
    ConsoleSessions.Session b = sessions.open("bob");

    sessions.close(a.id());
    sessions.close("not-a-session");
    sessions.close(null);

    assertNull(sessions.touch(a.id()));
    assertEquals("bob", sessions.touch(b.id()).operator());
    assertNull(sessions.touch(null));
    assertNull(sessions.touch("made-up"));
  }

  @Test
  void beyondTheBound_theLeastRecentlyUsedSessionIsDropped() {
    ConsoleSessions.Session first = sessions.open("alice");
    ConsoleSessions.Session second = sessions.open("alice");
    clock.advance(Duration.ofSeconds(1));
    sessions.touch(first.id());
    for (int i = 2; i < ConsoleSessions.MAX_SESSIONS; i++) {
      sessions.open("alice");
    }

    sessions.open("alice");

    assertNotNull(sessions.peek(first.id()));
    assertNull(sessions.peek(second.id()), "the least recently used one made room");
  }
}
