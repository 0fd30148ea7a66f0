package io.turnout.dataplane.policy;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteRole;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.turnout.dataplane.provider.ProviderApproval;

/**
 * The rules of the data policy, pure: the same checks judge a route map when it is loaded and
 * every request's plan before anything is sent.
 *
 * <p>A provider may serve a cohort only when its approval lists the cohort's data class, its
 * region is one of the cohort's allowed regions, its retention is within the cohort's maximum,
 * its vendor is approved (when the cohort names vendors) and the approval has not lapsed. A route
 * version's fallback may never be looser than its primary: not a longer retention, and not
 * logging prompts when the primary does not.
 */
public final class DataPolicyChecker {

  private DataPolicyChecker() {}

  /** Whether {@code provider} may receive the requests of {@code cohort} at {@code now}; null when it may. */
  public static PolicyViolation check(CohortPolicy cohort, String provider, ProviderApproval approval, Instant now) {
    String who = "cohort " + cohort.cohort() + " (data class " + cohort.dataClass() + ")";
    if (approval == null) {
      return new PolicyViolation(provider, "provider " + provider + " has no approval, so it may not serve " + who);
    }
    if (!approval.dataClasses().contains(cohort.dataClass())) {
      return new PolicyViolation(provider, "provider " + provider + " is not approved for data class "
          + cohort.dataClass() + " of " + who);
    }
    if (!cohort.allowedRegions().contains(approval.region())) {
      return new PolicyViolation(provider, "provider " + provider + " processes data in " + approval.region()
          + ", outside the allowed regions of " + who);
    }
    if (approval.retentionDays() > cohort.maxRetentionDays()) {
      return new PolicyViolation(provider, "provider " + provider + " retains data " + approval.retentionDays()
          + " days, more than the " + cohort.maxRetentionDays() + " allowed for " + who);
    }
    if (!cohort.approvedVendors().isEmpty() && !cohort.approvedVendors().contains(approval.vendor())) {
      return new PolicyViolation(provider, "vendor " + approval.vendor() + " of provider " + provider
          + " is not an approved vendor of " + who);
    }
    if (approval.expired(now)) {
      return new PolicyViolation(provider, "the approval of provider " + provider + " lapsed at "
          + approval.approvedUntil());
    }
    return null;
  }

  /**
   * Whether the fallback's data handling is looser than the primary's; null when it is not.
   * Approvals that are missing are left to {@link #check}.
   */
  public static PolicyViolation looser(String primary, ProviderApproval primaryApproval, String fallback,
      ProviderApproval fallbackApproval) {
    if (primaryApproval == null || fallbackApproval == null) {
      return null;
    }
    if (fallbackApproval.retentionDays() > primaryApproval.retentionDays()) {
      return new PolicyViolation(fallback, "fallback provider " + fallback + " retains data "
          + fallbackApproval.retentionDays() + " days, longer than the " + primaryApproval.retentionDays()
          + " of primary " + primary + "; a fallback may never loosen data handling");
    }
    if (fallbackApproval.logsPrompts() && !primaryApproval.logsPrompts()) {
      return new PolicyViolation(fallback, "fallback provider " + fallback + " logs prompts but primary "
          + primary + " does not; a fallback may never loosen data handling");
    }
    return null;
  }

  /**
   * Checks every route version of a map; the first problem is thrown naming the file and the
   * field path ({@code routes[i].primary_provider} or {@code routes[i].fallback_provider}). A
   * cohort version is checked against its cohort's policy; a {@code *} version against the
   * {@code *} policy and the policy of every configured cohort that has no version of its own for
   * the same environment and alias (those cohorts are served by the {@code *} versions).
   *
   * <p>A lapsed approval ({@code approved_until} passed) is an error only for the versions the
   * map's pointers name (what would go into force); on any other version (a rollback version, one
   * not in use) it is returned as a warning, so a lapse can never block a restart, an edit or a
   * way back (the per-request check still keeps traffic off the provider).
   *
   * @param now the instant approvals must still hold at
   * @return the warnings: lapsed approvals of versions not in force
   */
  public static List<String> checkMap(String file, RouteMap map, DataPolicy policy,
      Map<String, ProviderApproval> approvals, Instant now) {
    List<String> warnings = new ArrayList<>();
    if (!policy.enabled()) {
      return warnings;
    }
    java.util.Set<String> inForce = new java.util.HashSet<>(map.active().byScope().values());
    int index = 0;
    for (RouteVersion v : map.versions().values()) {
      String at = "routes[" + index++ + "]";
      List<RouteRole> roles = new ArrayList<>(v.mode().servingRoles());
      for (CohortPolicy cohort : cohortsServedBy(v, map, policy)) {
        for (RouteRole role : roles) {
          String provider = v.provider(role);
          ProviderApproval approval = approvals.get(provider);
          PolicyViolation violation = check(cohort, provider, approval, now);
          if (violation != null && approval != null && approval.expired(now) && !inForce.contains(v.routeVersion())
              && check(cohort, provider, approval, Instant.EPOCH) == null) {
            warnings.add(file + ": " + at + "." + field(role) + ": route version " + v.routeVersion() + ": "
                + violation.reason() + " (not in force: a warning; requests are still kept off the provider)");
            continue;
          }
          if (violation != null) {
            throw new ConfigException(file, at + "." + field(role), "route version " + v.routeVersion() + ": "
                + violation.reason());
          }
        }
      }
      if (roles.contains(RouteRole.FALLBACK) && v.primaryProvider() != null) {
        PolicyViolation violation = looser(v.primaryProvider(), approvals.get(v.primaryProvider()),
            v.fallbackProvider(), approvals.get(v.fallbackProvider()));
        if (violation != null) {
          throw new ConfigException(file, at + ".fallback_provider", "route version " + v.routeVersion() + ": "
              + violation.reason());
        }
      }
    }
    return warnings;
  }

  private static List<CohortPolicy> cohortsServedBy(RouteVersion v, RouteMap map, DataPolicy policy) {
    if (!v.tenantOrCohort().equals(ScopeKey.ANY_COHORT)) {
      return List.of(policy.forCohort(v.tenantOrCohort()));
    }
    List<CohortPolicy> served = new ArrayList<>();
    for (CohortPolicy cohort : policy.cohorts().values()) {
      if (cohort.cohort().equals(DataPolicy.ANY_COHORT) || !hasOwnVersion(map, v, cohort.cohort())) {
        served.add(cohort);
      }
    }
    return served;
  }

  private static boolean hasOwnVersion(RouteMap map, RouteVersion shared, String cohort) {
    return map.versions().values().stream().anyMatch(o -> o.tenantOrCohort().equals(cohort)
        && o.environment().equals(shared.environment()) && o.modelAlias().equals(shared.modelAlias()));
  }

  private static String field(RouteRole role) {
    return role == RouteRole.PRIMARY ? "primary_provider" : "fallback_provider";
  }
}
