package io.turnout.controlplane.admin;

import io.turnout.config.ConfigNode;
import java.time.Duration;

/**
 * The admin listener: {@code /admin}, the web console and a second copy of {@code /metrics} and
 * the health checks, on a host and port of their own, apart from the client listener, so the
 * operator API is not exposed wherever clients reach the node.
 *
 * @param host the interface the admin listener binds ({@code 127.0.0.1} unless configured)
 * @param port its port; 0 binds an ephemeral one (the node reports the port bound)
 * @param sessionIdle a console session ends after this long without a request
 * @param sessionMax a console session ends this long after login, used or not
 */
public record AdminOptions(String host, int port, Duration sessionIdle, Duration sessionMax) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_SESSION_IDLE_MINUTES = 60;
  public static final int DEFAULT_SESSION_MAX_HOURS = 12;

  /**
   * Reads the listener fields of {@code admin} (the caller reads {@code tokens} and finishes the
   * node); {@code portOverride} (from TURNOUT_ADMIN_PORT) wins over the file when not null.
   */
  public static AdminOptions fromConfig(ConfigNode admin, Integer portOverride) {
    String host = admin.optString("host", DEFAULT_HOST);
    int port = admin.intValue("port", DEFAULT_PORT, 0, 65_535);
    int idle = admin.intValue("session_idle_minutes", DEFAULT_SESSION_IDLE_MINUTES, 1, 24 * 60);
    int max = admin.intValue("session_max_hours", DEFAULT_SESSION_MAX_HOURS, 1, 7 * 24);
    return new AdminOptions(host, portOverride != null ? portOverride : port, Duration.ofMinutes(idle),
        Duration.ofHours(max));
  }
}
