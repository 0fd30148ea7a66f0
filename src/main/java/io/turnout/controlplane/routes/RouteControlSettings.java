package io.turnout.controlplane.routes;

import io.turnout.controlplane.probes.ProbeOptions;
import java.nio.file.Path;

/**
 * What the route control plane takes from the node's configuration, handed to it by the
 * composition root, so route control depends on no node class.
 *
 * @param environment the environment whose scopes unqualified commands name
 * @param confDir the config directory (the route map file is relative to it)
 * @param routing the {@code routing.*} options (file, watch, scan period, expiry check, limits)
 * @param start the route map the node started on, and its own file as applied last and as read at start
 * @param applied where the text of each own-file version applied is kept
 * @param reader parses and checks a route map text against the configured providers and data policy
 * @param adoptionReader parses another member's route map text (no data-policy check: adoption is never
 *     refused for policy reasons)
 * @param probes whether activations need passed probe runs, and where the evidence is
 * @param breaches which scopes the gates see breaching (written by the gate verticle)
 * @param peersFirst whether a member that finds no shared route state waits for the members present
 *     to compare revisions before one writes it (a cluster with {@code cluster.expected_members})
 */
public record RouteControlSettings(String environment, Path confDir, RoutingOptions routing, StartingRoutes start,
    AppliedRouteFile applied,
    RouteMapReader reader, RouteMapReader adoptionReader, ProbeOptions probes, ScopeBreaches breaches,
    boolean peersFirst) {}
