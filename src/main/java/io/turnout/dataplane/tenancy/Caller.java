package io.turnout.dataplane.tenancy;

/**
 * Who is calling, as established by the node from the caller's key: never from a header the
 * caller chooses, so no client can route itself into another cohort.
 *
 * @param client the configured client name (for logs), e.g. {@code support-app}
 * @param tenant the tenant the key belongs to
 * @param cohort the traffic cohort routing uses ({@code tenant_or_cohort} in the route map)
 */
public record Caller(String client, String tenant, String cohort) {

  /** The caller of a node that configures no client keys. */
  public static final Caller ANONYMOUS = new Caller("anonymous", "anonymous", "*");
}
