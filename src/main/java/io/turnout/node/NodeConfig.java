package io.turnout.node;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.turnout.config.YamlFiles;
import io.turnout.provider.ProviderOptions;
import io.turnout.routing.ModelAlias;
import io.turnout.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's configuration, read from {@code turnout.yaml} in the config directory and checked as
 * a whole: a config that fails any check is rejected with the file and field path, and nothing
 * of it is used.
 */
public record NodeConfig(Path confDir, HttpOptions http, Map<String, ProviderOptions> providers,
    Map<String, ModelAlias> aliases, SimulatorOptions simulator) {

  /** The main config file inside the config directory. */
  public static final String FILE = "turnout.yaml";
  /** Overrides {@code http.port}. */
  public static final String ENV_HTTP_PORT = "TURNOUT_HTTP_PORT";

  public NodeConfig {
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
  }

  /** Loads and checks {@code confDir/turnout.yaml} with the process environment. Blocking: call off the event loop. */
  public static NodeConfig load(Path confDir) {
    return load(confDir, System.getenv());
  }

  /** Loads with an explicit environment (tests). */
  public static NodeConfig load(Path confDir, Map<String, String> env) {
    Path file = confDir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", "cannot read (" + e.getClass().getSimpleName() + ")");
    }
    return parse(file.toString(), text, confDir, env);
  }

  /** Parses config text; {@code fileName} is used in errors. */
  public static NodeConfig parse(String fileName, String text, Path confDir, Map<String, String> env) {
    ConfigNode root = ConfigNode.root(fileName, YamlFiles.parse(fileName, text));
    SecretResolver secrets = new SecretResolver(env, confDir);
    HttpOptions http = HttpOptions.fromConfig(root.child("http"), portOverride(env, fileName));
    Map<String, ProviderOptions> providers = new LinkedHashMap<>();
    root.children("providers").forEach((name, node) -> providers.put(name, ProviderOptions.fromConfig(name, node, secrets)));
    if (providers.isEmpty()) {
      throw root.error("providers", "at least one provider is required");
    }
    Map<String, ModelAlias> aliases = new LinkedHashMap<>();
    root.children("aliases").forEach((name, node) -> {
      ModelAlias alias = ModelAlias.fromConfig(name, node);
      if (!providers.containsKey(alias.provider())) {
        throw node.error("provider", "names no configured provider: '" + alias.provider() + "'");
      }
      aliases.put(name, alias);
    });
    if (aliases.isEmpty()) {
      throw root.error("aliases", "at least one model alias is required");
    }
    SimulatorOptions simulator = SimulatorOptions.fromConfig(root.child("simulator"), secrets);
    root.finish();
    return new NodeConfig(confDir, http, providers, aliases, simulator);
  }

  private static Integer portOverride(Map<String, String> env, String fileName) {
    String value = env.get(ENV_HTTP_PORT);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigException(ENV_HTTP_PORT, "", "must be a port number (0-65535), got '" + value + "'");
    }
  }
}
