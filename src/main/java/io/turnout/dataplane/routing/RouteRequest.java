package io.turnout.dataplane.routing;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import io.turnout.routes.Feature;
import io.turnout.routes.FeatureSets;
import io.turnout.routes.Features;

/**
 * What resolution needs to know about one request.
 *
 * @param environment the node's environment, e.g. {@code production}
 * @param tenant the authenticated tenant (for messages and logs; scope lookup uses {@code cohort})
 * @param cohort the cohort of the authenticated client key, or null for none. Never taken from
 *     the request body or headers: a client must not choose its own route.
 * @param modelAlias the {@code model} the client sent
 * @param features what the request relies on, from {@link Features#of}
 * @param stableKey the canary hashing key, from {@link CanarySelector#stableKey}
 */
public record RouteRequest(String environment, String tenant, String cohort, String modelAlias,
    Set<Feature> features, String stableKey) {

  public RouteRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(modelAlias, "modelAlias");
    Objects.requireNonNull(stableKey, "stableKey");
    features = FeatureSets.copy(features == null ? EnumSet.noneOf(Feature.class) : features);
  }
}
