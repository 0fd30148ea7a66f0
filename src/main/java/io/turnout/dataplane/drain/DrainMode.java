package io.turnout.dataplane.drain;

/**
 * What happens to upstream attempts already in flight on a route version when its scope is moved
 * to another version ({@code routing.drain.in_flight}). New attempts never start on the old
 * version either way.
 */
public enum DrainMode {
  /**
   * In-flight attempts run to their end on the old version; only their next retry or fallback
   * moves. An operator may still cancel them ({@link Drain#CANCEL_ADDRESS}: a drill's drain check
   * with {@code cancel_in_flight}).
   */
  FINISH("finish"),
  /**
   * In-flight attempts are cancelled at once (the upstream request is reset) and the request is
   * planned again on the new version, within its deadline; a stream that already sent a chunk ends
   * with an error event (code {@code route_drained}).
   */
  CANCEL("cancel");

  /** The allowed config values, for error messages. */
  public static final String ALLOWED = "finish, cancel";

  private final String wireName;

  DrainMode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Parses a config value; throws {@link IllegalArgumentException} on anything else. */
  public static DrainMode fromWireName(String name) {
    for (DrainMode mode : values()) {
      if (mode.wireName.equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown drain mode: " + name);
  }
}
