package io.turnout.dataplane.http;

import io.turnout.dataplane.acceptance.AcceptanceRules;
import io.turnout.dataplane.drain.DrainMode;
import io.turnout.dataplane.http.HttpOptions;
import io.turnout.dataplane.policy.DataPolicy;
import io.turnout.dataplane.provider.ProviderKeys;
import io.turnout.dataplane.provider.ProviderOptions;
import io.turnout.dataplane.tenancy.ClientRegistry;
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
 * @param keys the providers' live credentials (rotated secret files)
 */
public record DataPlaneConfig(String environment, HttpOptions http, Map<String, ProviderOptions> providers,
    DrainMode drainInFlight, Map<String, AcceptanceRules> acceptance, DataPolicy dataPolicy, ClientRegistry clients,
    ProviderKeys keys) {

  /** The data plane's config with the providers' configured keys (no rotation). */
  public DataPlaneConfig(String environment, HttpOptions http, Map<String, ProviderOptions> providers,
      DrainMode drainInFlight, Map<String, AcceptanceRules> acceptance, DataPolicy dataPolicy,
      ClientRegistry clients) {
    this(environment, http, providers, drainInFlight, acceptance, dataPolicy, clients, ProviderKeys.NONE);
  }
}
