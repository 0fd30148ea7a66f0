package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.ProviderKind;
import io.turnout.routes.Feature;
import io.turnout.routes.RouteRole;
import java.util.Set;

/**
 * One provider a route version sends to, as the probes see it.
 *
 * @param role the role the provider serves in the version
 * @param provider the provider's configured name
 * @param kind its contract (decides the shape of the invalid request)
 * @param modelId the alias's pinned model id for the provider
 * @param features the optional features the version enables for the role
 * @param timeoutMs the version's deadline, the budget of each ordinary probe
 */
public record ProbeTarget(RouteRole role, String provider, ProviderKind kind, String modelId, Set<Feature> features,
    long timeoutMs) {

  public ProbeTarget {
    features = Set.copyOf(features);
  }
}
