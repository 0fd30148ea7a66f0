package io.turnout.routes;

/** Which of a route version's two providers an attempt goes to. */
public enum RouteRole {
  PRIMARY("primary"),
  FALLBACK("fallback");

  private final String wireName;

  RouteRole(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in logs, metrics and {@code enabled_features} keys. */
  public String wireName() {
    return wireName;
  }
}
