package io.turnout.simulator;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of the built-in provider simulator: where it listens and which providers it simulates.
 *
 * <p>There is deliberately no JSON round trip: the options hold resolved API keys, and a
 * {@code toJson} would be one careless log line away from leaking them. Config is read with
 * {@link #fromConfig}, tests build options with the fluent setters.
 */
public final class SimulatorOptions {

  /** Off unless the config turns it on: a production node must not open a fake provider by accident. */
  public static final boolean DEFAULT_ENABLED = false;
  /** Loopback only: the control endpoint has no authentication. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The port of the shipped default config. 0 picks an ephemeral port (tests). */
  public static final int DEFAULT_PORT = 8091;

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private final Map<String, SimProviderConfig> providers = new LinkedHashMap<>();

  public SimulatorOptions() {}

  /** A copy; provider configs are immutable and shared. */
  public SimulatorOptions(SimulatorOptions other) {
    this.enabled = other.enabled;
    this.host = other.host;
    this.port = other.port;
    this.providers.putAll(other.providers);
  }

  /**
   * Reads the {@code simulator} section.
   *
   * @param node the {@code simulator} mapping of the node's config
   * @param secrets resolves {@code api_key} references ({@code ${ENV}} or {@code file:PATH})
   * @throws io.turnout.config.ConfigException naming the field path, e.g.
   *     {@code simulator.providers.primary.script.faults[0].share}
   */
  public static SimulatorOptions fromConfig(ConfigNode node, SecretResolver secrets) {
    SimulatorOptions options = new SimulatorOptions()
        .setEnabled(node.bool("enabled", DEFAULT_ENABLED))
        .setHost(node.optString("host", DEFAULT_HOST))
        .setPort(node.intValue("port", DEFAULT_PORT, 0, 65_535));
    for (Map.Entry<String, ConfigNode> entry : node.children("providers").entrySet()) {
      String name = entry.getKey();
      ConfigNode p = entry.getValue();
      if (!SimProviderConfig.NAME.matcher(name).matches()) {
        throw p.error("provider name must match " + SimProviderConfig.NAME.pattern());
      }
      SimContractKind contract = p.enumValue("contract", null, SimContractKind::fromWireName, SimContractKind.ALLOWED);
      String key = secrets.resolve(p, "api_key");
      SimScript script = p.raw("script") == null ? SimScript.DEFAULT : SimScript.fromConfig(p.child("script"));
      p.finish();
      options.addProvider(new SimProviderConfig(name, contract, key, script));
    }
    if (options.enabled && options.providers.isEmpty()) {
      throw node.error("providers", "at least one provider is required when the simulator is enabled");
    }
    node.finish();
    return options;
  }

  /** Whether the node deploys the simulator (read by the node, not by the verticle). */
  public boolean isEnabled() {
    return enabled;
  }

  public SimulatorOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /** The interface to bind, default {@value #DEFAULT_HOST}. */
  public String getHost() {
    return host;
  }

  public SimulatorOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** The port to bind, default {@value #DEFAULT_PORT}; 0 for an ephemeral port. */
  public int getPort() {
    return port;
  }

  public SimulatorOptions setPort(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    this.port = port;
    return this;
  }

  /** The simulated providers by name, in config order. */
  public Map<String, SimProviderConfig> getProviders() {
    return Collections.unmodifiableMap(providers);
  }

  /** Adds a provider; a second provider of the same name is an error. */
  public SimulatorOptions addProvider(SimProviderConfig provider) {
    if (providers.putIfAbsent(provider.name(), provider) != null) {
      throw new IllegalArgumentException("duplicate simulated provider: " + provider.name());
    }
    return this;
  }

  /** Shorthand for {@link #addProvider(SimProviderConfig)}. */
  public SimulatorOptions addProvider(String name, SimContractKind contract, String apiKey, SimScript script) {
    return addProvider(new SimProviderConfig(name, contract, apiKey, script));
  }
}
