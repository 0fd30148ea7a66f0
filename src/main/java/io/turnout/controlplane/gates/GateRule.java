package io.turnout.controlplane.gates;

import io.turnout.config.ConfigNode;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import io.turnout.dataplane.signals.SignalKey;

/**
 * One rollback gate: a signal of one role's attempts over a sliding window, a threshold it must
 * not exceed, the samples it needs before it may say anything, and what happens on a breach.
 *
 * @param name unique; a rule named like a runbook default replaces it
 * @param signal what is measured
 * @param role whose attempts count: {@code primary}, {@code fallback} or {@code any}
 * @param provider only this provider's attempts, or null for the role's provider
 * @param above the breach threshold: the verdict is {@code breach} when the value is strictly above it
 * @param windowMs the sliding window
 * @param minSamples below this many samples the verdict is {@code inconclusive}, never a pass
 * @param action what a breach does
 * @param reduceFactor what {@code reduce} multiplies the canary share by
 * @param reduceFloor the share {@code reduce} does not go below (at it, {@code reduce} rolls back),
 *     and the share {@code test_share} caps the canary at
 * @param dryRun evaluate and report only
 * @param scopes {@code environment/tenant_or_cohort/model_alias} patterns ({@code *} matches any
 *     part); empty for every scope
 * @param forMs how long a breach must hold, evaluation after evaluation, before the gate acts
 *     (Prometheus' {@code for:}); 0: at once
 * @param consecutive how many evaluations in a row must breach before the gate acts (Argo's
 *     {@code failureLimit}); 1: the first
 * @param inconclusiveLimitMs how long a verdict may stay inconclusive before it counts as a breach
 *     (Argo's {@code inconclusiveLimit}); 0: never
 */
public record GateRule(String name, GateSignal signal, String role, String provider, double above, long windowMs,
    long minSamples, GateAction action, double reduceFactor, double reduceFloor, boolean dryRun,
    List<String> scopes, long forMs, int consecutive, long inconclusiveLimitMs) {

  public static final Set<String> ROLES = Set.of("primary", "fallback", "any");

  public GateRule {
    scopes = List.copyOf(scopes);
    if (consecutive < 1) {
      throw new IllegalArgumentException("consecutive must be at least 1");
    }
  }

  /** A rule that acts on its first breach and never on an inconclusive verdict. */
  public GateRule(String name, GateSignal signal, String role, String provider, double above, long windowMs,
      long minSamples, GateAction action, double reduceFactor, double reduceFloor, boolean dryRun,
      List<String> scopes) {
    this(name, signal, role, provider, above, windowMs, minSamples, action, reduceFactor, reduceFloor, dryRun, scopes,
        0, 1, 0);
  }

  /** Whether a breach must be sustained (or an inconclusive verdict can turn into one) before the gate acts. */
  public boolean sustained() {
    return forMs > 0 || consecutive > 1 || inconclusiveLimitMs > 0;
  }

  /** Reads one entry of {@code gates.rules}. */
  static GateRule fromConfig(ConfigNode node, Set<String> providers) {
    String name = node.string("name");
    String signalName = node.string("signal");
    GateSignal signal = GateSignal.fromWireName(signalName);
    if (signal == null) {
      throw node.error("signal", "unknown signal '" + signalName + "'; one of: " + GateSignal.allowed());
    }
    String role = node.optString("role", "fallback");
    if (!ROLES.contains(role)) {
      throw node.error("role", "must be primary, fallback or any");
    }
    String provider = node.optString("provider", null);
    if (provider != null && !providers.contains(provider)) {
      throw node.error("provider", "unknown provider '" + provider + "'");
    }
    double above = node.doubleValue("above", 0, 0, Double.MAX_VALUE);
    long window = node.longValue("window_ms", 300_000, 100, 86_400_000);
    long minSamples = node.longValue("min_samples", 1, 1, Long.MAX_VALUE);
    String actionName = node.string("action");
    GateAction action = GateAction.fromWireName(actionName);
    if (action == null) {
      throw node.error("action", "must be stop_expansion, test_share, reduce, stop or rollback");
    }
    double factor = node.doubleValue("reduce_factor", 0.5, 0.01, 0.99);
    double floor = node.doubleValue("reduce_floor", 0.01, 0, 1);
    boolean dryRun = node.bool("dry_run", false);
    List<String> scopes = node.stringList("scopes");
    for (int i = 0; i < scopes.size(); i++) {
      if (scopes.get(i).split("/", -1).length != 3) {
        throw new io.turnout.config.ConfigException(node.file(), node.pathOf("scopes") + "[" + i + "]",
            "must be environment/tenant_or_cohort/model_alias, with * for any part");
      }
    }
    long forMs = node.longValue("for_ms", 0, 0, 86_400_000);
    int consecutive = node.intValue("consecutive", 1, 1, 10_000);
    long inconclusiveLimit = node.longValue("inconclusive_limit_ms", 0, 0, 86_400_000);
    node.finish();
    return new GateRule(name, signal, role, provider, above, window, minSamples, action, factor, floor, dryRun,
        scopes, forMs, consecutive, inconclusiveLimit);
  }

  /** Whether this rule applies to {@code scope}. */
  public boolean covers(ScopeKey scope) {
    if (scopes.isEmpty()) {
      return true;
    }
    for (String pattern : scopes) {
      String[] parts = pattern.split("/", -1);
      if (matches(parts[0], scope.environment()) && matches(parts[1], scope.tenantOrCohort())
          && matches(parts[2], scope.modelAlias())) {
        return true;
      }
    }
    return false;
  }

  /** The provider whose attempts this rule reads on {@code route}, or null when the route has none for the role. */
  boolean appliesTo(RouteVersion route) {
    return switch (role) {
      case "primary" -> route.primaryProvider() != null;
      case "fallback" -> route.fallbackProvider() != null;
      default -> true;
    };
  }

  /** Whether an attempt counted under {@code key} is one this rule reads. */
  boolean reads(SignalKey key) {
    return ("any".equals(role) || role.equals(key.role())) && (provider == null || provider.equals(key.provider()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("signal", signal.wireName()).put("role", role)
        .put("provider", provider).put("above", above).put("window_ms", windowMs).put("min_samples", minSamples)
        .put("action", action.wireName()).put("reduce_factor", reduceFactor).put("reduce_floor", reduceFloor)
        .put("dry_run", dryRun).put("scopes", new JsonArray(scopes)).put("for_ms", forMs)
        .put("consecutive", consecutive).put("inconclusive_limit_ms", inconclusiveLimitMs);
  }

  private static boolean matches(String pattern, String value) {
    return "*".equals(pattern) || pattern.equals(value);
  }
}
