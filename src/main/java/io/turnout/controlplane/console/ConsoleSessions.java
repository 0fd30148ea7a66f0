package io.turnout.controlplane.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's server-side sessions: a random id (the cookie's value) mapped to the operator
 * who logged in and the CSRF token the console's pages send back. A session ends at logout,
 * after {@code idle} without a request, or {@code max} after login, whichever comes first. The
 * store is this node's memory: a session is good on the node it was opened on, and a restart
 * logs everybody out.
 */
public final class ConsoleSessions {

  /** How many sessions may be open at once; the oldest is dropped beyond it. */
  static final int MAX_SESSIONS = 1_000;

  /**
   * One logged-in operator.
   *
   * @param csrf the token a changing request must carry in {@link ConsoleAuth#CSRF_HEADER}
   */
  public record Session(String id, String csrf, String operator, Instant createdAt, Instant lastSeen) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;
  private final Duration max;

  public ConsoleSessions(Clock clock, Duration idle, Duration max) {
    this.clock = clock;
    this.idle = idle;
    this.max = max;
  }

  /** Opens a session for {@code operator}, with fresh random id and CSRF token. */
  public Session open(String operator) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> expired(s, now));
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream().min(java.util.Comparator.comparing(Session::lastSeen))
          .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
    Session session = new Session(randomToken(), randomToken(), operator, now, now);
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session with this id, its idle timer restarted; null when unknown or expired. */
  public Session touch(String id) {
    Session session = peek(id);
    if (session == null) {
      return null;
    }
    Session seen = new Session(session.id(), session.csrf(), session.operator(), session.createdAt(), clock.instant());
    sessions.replace(id, session, seen);
    return seen;
  }

  /** The live session with this id without counting as use (the event stream); null when gone. */
  public Session peek(String id) {
    if (id == null) {
      return null;
    }
    Session session = sessions.get(id);
    if (session == null) {
      return null;
    }
    if (expired(session, clock.instant())) {
      sessions.remove(id, session);
      return null;
    }
    return session;
  }

  /** Ends the session (logout); unknown ids are ignored. */
  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** How long a session lives without a request. */
  public Duration idle() {
    return idle;
  }

  private boolean expired(Session s, Instant now) {
    return !now.isBefore(s.lastSeen().plus(idle)) || !now.isBefore(s.createdAt().plus(max));
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
