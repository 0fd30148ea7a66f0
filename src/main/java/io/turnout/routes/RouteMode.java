package io.turnout.routes;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** How a route version uses its providers. */
public enum RouteMode {
  /** Only the primary provider; the route names no fallback. */
  PRIMARY_ONLY("primary_only"),
  /** The primary first, the fallback when the failure class is in {@code fallback_on}. */
  PRIMARY_WITH_FALLBACK("primary_with_fallback"),
  /** Only the fallback provider: a full cutover that the rollback version undoes. */
  FALLBACK_ONLY("fallback_only"),
  /** A hashed share of cohorts tries the fallback first, everyone else the primary first. */
  CANARY("canary"),
  /** No traffic: requests are refused with 503 and the version's {@code disabled_reason}. */
  DISABLED("disabled");

  /** The wire names, for config error messages. */
  public static final String ALLOWED = Arrays.stream(values()).map(RouteMode::wireName).collect(Collectors.joining(", "));

  private final String wireName;

  RouteMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in {@code routes.yaml}, e.g. {@code primary_with_fallback}. */
  public String wireName() {
    return wireName;
  }

  /** Whether a route in this mode must name a {@code fallback_provider}. */
  public boolean requiresFallback() {
    return this == PRIMARY_WITH_FALLBACK || this == FALLBACK_ONLY || this == CANARY;
  }

  /** The roles that can serve traffic in this mode; their providers must enable the alias's feature assumptions. */
  public Set<RouteRole> servingRoles() {
    return switch (this) {
      case PRIMARY_ONLY -> EnumSet.of(RouteRole.PRIMARY);
      case FALLBACK_ONLY -> EnumSet.of(RouteRole.FALLBACK);
      case PRIMARY_WITH_FALLBACK, CANARY -> EnumSet.of(RouteRole.PRIMARY, RouteRole.FALLBACK);
      case DISABLED -> EnumSet.noneOf(RouteRole.class);
    };
  }

  /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} on anything else. */
  public static RouteMode fromWireName(String name) {
    for (RouteMode m : values()) {
      if (m.wireName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown route mode: " + name);
  }
}
