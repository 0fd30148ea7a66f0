package io.turnout.routes;

import java.time.Instant;

/**
 * The routing state a request sees: one route map and the active pointers in force, swapped as a
 * whole so a request never mixes two versions of the state.
 *
 * @param map the validated route map
 * @param pointers the active pointers in force (the file's, moved by expiry or, later, the cluster)
 * @param source where the map came from, e.g. {@code conf/routes.yaml}
 * @param appliedAt when this state was applied
 */
public record RouteSnapshot(RouteMap map, ActivePointers pointers, String source, Instant appliedAt) {}
