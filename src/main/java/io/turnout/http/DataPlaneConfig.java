package io.turnout.http;

import io.turnout.acceptance.AcceptanceRules;
import io.turnout.drain.DrainMode;
import io.turnout.node.HttpOptions;
import io.turnout.policy.DataPolicy;
import io.turnout.provider.ProviderOptions;
import io.turnout.tenancy.ClientRegistry;
import java.util.Map;

/**
 * The parts of the node's configuration the data plane reads, handed to it by the composition
 * root, so the data plane never depends on the whole node config (which also holds the control
 * plane's options).
 *
 * @param environment the node's environment, e.g. {@code production}
 * @param http the HTTP front door
 * @param providers every configured provider by name
 * @param drainInFlight what happens to attempts in flight when their scope moves
 * @param acceptance output acceptance checks per app model alias
 * @param dataPolicy the cohorts' data classes and constraints
 * @param clients the callers' API keys
 */
public record DataPlaneConfig(String environment, HttpOptions http, Map<String, ProviderOptions> providers,
    DrainMode drainInFlight, Map<String, AcceptanceRules> acceptance, DataPolicy dataPolicy, ClientRegistry clients) {}
