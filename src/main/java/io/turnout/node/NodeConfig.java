package io.turnout.node;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.turnout.config.YamlFiles;
import io.turnout.controlplane.cluster.ClusterOptions;
import io.turnout.dataplane.acceptance.AcceptanceRules;
import io.turnout.controlplane.drills.DrillOptions;
import io.turnout.controlplane.gates.GateOptions;
import io.turnout.controlplane.notify.NotifyOptions;
import io.turnout.dataplane.policy.DataPolicy;
import io.turnout.dataplane.policy.DataPolicyChecker;
import io.turnout.dataplane.policy.DataPolicyGate;
import io.turnout.controlplane.probes.ProbeOptions;
import io.turnout.controlplane.admin.AdminTokens;
import io.turnout.controlplane.admin.DemoTokenGuard;
import io.turnout.dataplane.http.DataPlaneConfig;
import io.turnout.dataplane.provider.ProviderOptions;
import io.turnout.dataplane.resilience.BreakerOptions;
import io.turnout.routes.RouteMap;
import io.turnout.simulator.SimulatorOptions;
import io.turnout.dataplane.tenancy.ClientRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import io.turnout.controlplane.admin.AdminOptions;
import io.turnout.dataplane.http.HttpOptions;
import io.turnout.controlplane.routes.RoutingOptions;

/**
 * The node's configuration: {@code turnout.yaml} in the config directory and the route map file
 * it names, checked as a whole. A config that fails any check is rejected with the file and the
 * field path, and nothing of it is used.
 *
 * @param environment the environment this node serves (route versions are per environment)
 * @param nodeName this member's stable name ({@link NodeName}): {@code node.name}, else the host name
 * @param routes the route map as loaded at start; the running state lives in a
 *     {@link io.turnout.routes.RouteTable} from then on
 * @param routesText the route map file's text the map was parsed from
 * @param adminTokens operators allowed on the admin API
 * @param auditFile where every route change is appended before it applies
 * @param cluster whether and how the node joins a cluster
 * @param simulator the built-in provider simulator
 * @param gates the rollback gates
 * @param drills cutover drills
 * @param acceptance output acceptance checks per app model alias
 * @param probes the preflight probes and the activation guard
 * @param dataPolicy the cohorts' data classes and constraints ({@link DataPolicy#OFF} without a
 *     {@code data_policy} section)
 * @param notifications webhooks for the on-call ({@link NotifyOptions#NONE} without a
 *     {@code notifications} section)
 * @param observability tracing export and the log format
 * @param admin the admin listener's host, port and console sessions
 * @param secretFiles the {@code file:} secrets this config resolved, by field: re-read when they
 *     change ({@link SecretRotation})
 * @param routesRefusal why the route map file was refused, when loaded {@link #loadForStart for a
 *     start} (then {@code routes} is null, and {@code routesText} too if it could not be read); null
 *     otherwise
 */
public record NodeConfig(Path confDir, String environment, String nodeName, HttpOptions http, Map<String, ProviderOptions> providers,
    RoutingOptions routing, RouteMap routes, String routesText, ClientRegistry clients, BreakerOptions breaker,
    AdminTokens adminTokens, Path auditFile, ClusterOptions cluster, SimulatorOptions simulator, GateOptions gates,
    DrillOptions drills, ProbeOptions probes, Map<String, AcceptanceRules> acceptance, DataPolicy dataPolicy,
    NotifyOptions notifications, io.turnout.dataplane.observability.ObservabilityOptions observability, AdminOptions admin,
    java.util.List<SecretResolver.FileRef> secretFiles, ConfigException routesRefusal) {

  /** The main config file inside the config directory. */
  public static final String FILE = "turnout.yaml";
  /** Overrides {@code http.port}. */
  public static final String ENV_HTTP_PORT = "TURNOUT_HTTP_PORT";
  /** Overrides {@code admin.port}. */
  public static final String ENV_ADMIN_PORT = "TURNOUT_ADMIN_PORT";
  public static final String DEFAULT_ENVIRONMENT = "production";
  /** The audit log, relative to the config directory: {@code data/} beside {@code conf/}. */
  public static final String DEFAULT_AUDIT_FILE = "../data/audit.jsonl";

  public NodeConfig {
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
  }

  /** Loads and checks the config directory with the process environment. Blocking: call off the event loop. */
  public static NodeConfig load(Path confDir) {
    return load(confDir, System.getenv());
  }

  /** Loads with an explicit environment (tests). */
  public static NodeConfig load(Path confDir, Map<String, String> env) {
    Path file = confDir.resolve(FILE);
    return parse(file.toString(), read(file), confDir, env, routesFile -> read(confDir.resolve(routesFile)), false);
  }

  /**
   * Loads for a node's start: every check as {@link #load}, except that a route map file that
   * cannot be read or is refused is kept as {@link #routesRefusal()} instead of thrown, so the node
   * can start on its last applied copy or the cluster's state (a member always starts).
   */
  public static NodeConfig loadForStart(Path confDir, Map<String, String> env) {
    Path file = confDir.resolve(FILE);
    return parse(file.toString(), read(file), confDir, env, routesFile -> read(confDir.resolve(routesFile)), true);
  }

  /**
   * Parses config text; the route map file is read through {@code routesReader} (name relative to
   * the config directory -> text).
   */
  public static NodeConfig parse(String fileName, String text, Path confDir, Map<String, String> env,
      java.util.function.Function<String, String> routesReader) {
    return parse(fileName, text, confDir, env, routesReader, false);
  }

  private static NodeConfig parse(String fileName, String text, Path confDir, Map<String, String> env,
      java.util.function.Function<String, String> routesReader, boolean keepRoutesRefusal) {
    ConfigNode root = ConfigNode.root(fileName, YamlFiles.parse(fileName, text));
    SecretResolver secrets = new SecretResolver(env, confDir);
    ConfigNode node = root.child("node");
    String environment = node.optString("environment", DEFAULT_ENVIRONMENT);
    String nodeName = NodeName.resolve(node.optString("name", null), env, fileName, node.pathOf("name"));
    node.finish();
    HttpOptions http = HttpOptions.fromConfig(root.child("http"), portOverride(env, ENV_HTTP_PORT));
    Map<String, ProviderOptions> providers = new LinkedHashMap<>();
    root.children("providers").forEach((name, p) -> providers.put(name, ProviderOptions.fromConfig(name, p, secrets)));
    if (providers.isEmpty()) {
      throw root.error("providers", "at least one provider is required");
    }
    RoutingOptions routing = RoutingOptions.fromConfig(root.child("routing"));
    ClientRegistry clients = ClientRegistry.fromConfig(root.children("clients"), secrets);
    BreakerOptions breaker = BreakerOptions.fromConfig(root.child("breaker"));
    ConfigNode admin = root.child("admin");
    AdminTokens adminTokens = AdminTokens.fromConfig(admin.child("tokens"), secrets);
    AdminOptions adminListener = AdminOptions.fromConfig(admin, portOverride(env, ENV_ADMIN_PORT));
    admin.finish();
    DemoTokenGuard.check(fileName, adminTokens, adminListenHost(adminListener), env);
    ConfigNode audit = root.child("audit");
    Path auditFile = confDir.resolve(audit.optString("file", DEFAULT_AUDIT_FILE)).normalize();
    audit.finish();
    ClusterOptions cluster = ClusterOptions.fromConfig(root.child("cluster"), env);
    SimulatorOptions simulator = SimulatorOptions.fromConfig(root.child("simulator"), secrets);
    GateOptions gates = GateOptions.fromConfig(root.child("gates"), providers.keySet());
    DrillOptions drills = DrillOptions.fromConfig(root.child("drills"), confDir);
    Map<String, AcceptanceRules> acceptance = AcceptanceRules.fromConfig(root.child("acceptance"));
    ProbeOptions probes = ProbeOptions.fromConfig(root.child("probes"), confDir);
    DataPolicy dataPolicy = DataPolicy.fromConfig(root);
    NotifyOptions notifications = NotifyOptions.fromConfig(root.child("notifications"), secrets);
    io.turnout.dataplane.observability.ObservabilityOptions observability =
        io.turnout.dataplane.observability.ObservabilityOptions.fromConfig(root, env);
    root.finish();
    String routesName = confDir.resolve(routing.file()).toString();
    String routesText = null;
    RouteMap routes = null;
    ConfigException routesRefusal = null;
    try {
      routesText = routesReader.apply(routing.file());
      if (routesText.getBytes(StandardCharsets.UTF_8).length > routing.maxFileBytes()) {
        throw new ConfigException(routesName, "", "is larger than routing.max_file_bytes (" + routing.maxFileBytes()
            + " bytes): refused before parsing");
      }
      routes = parseRoutes(routesName, routesText, providers, dataPolicy);
    } catch (ConfigException refused) {
      if (!keepRoutesRefusal) {
        throw refused;
      }
      routesRefusal = refused;
    }
    return new NodeConfig(confDir, environment, nodeName, http, providers, routing, routes, routesText, clients,
        breaker, adminTokens, auditFile, cluster, simulator, gates, drills, probes, acceptance, dataPolicy,
        notifications, observability, adminListener, secrets.files(), routesRefusal);
  }

  /** The parts of this config the data plane reads (it never sees the control plane's options). */
  public DataPlaneConfig dataPlane() {
    return dataPlane(io.turnout.dataplane.provider.ProviderKeys.NONE);
  }

  /** The data plane's part, with the node's live provider credentials. */
  public DataPlaneConfig dataPlane(io.turnout.dataplane.provider.ProviderKeys keys) {
    return new DataPlaneConfig(environment, http, providers, routing.drainInFlight(), acceptance, dataPolicy, clients,
        keys);
  }

  /**
   * Parses a route map against the configured providers and the data policy. Version expiry is
   * judged by the route table when the map is applied, not here, so a node can start after a
   * version expired; provider approvals must hold now (wall clock) for the versions the map's
   * pointers name, while a lapsed approval of any other version is a logged warning (a lapse never
   * blocks a restart, an edit or a way back; the per-request check keeps traffic off the provider).
   */
  public static RouteMap parseRoutes(String fileName, String text, Map<String, ProviderOptions> providers,
      DataPolicy dataPolicy) {
    RouteMap map = RouteMap.parse(fileName, text, providers.keySet(), Instant.EPOCH);
    for (String warning : DataPolicyChecker.checkMap(fileName, map, dataPolicy, DataPolicyGate.approvalsOf(providers),
        Instant.now())) {
      org.slf4j.LoggerFactory.getLogger(NodeConfig.class).warn("Data policy: {}", warning);
    }
    return map;
  }

  /**
   * Parses a route map another member decided, against the configured providers only: adopting
   * the cluster's state is never refused for data-policy reasons (the per-request check still
   * refuses or drops a provider the policy does not allow), so a lapsed approval cannot split the
   * cluster.
   */
  public static RouteMap parseAdoptedRoutes(String fileName, String text, Map<String, ProviderOptions> providers) {
    return RouteMap.parse(fileName, text, providers.keySet(), Instant.EPOCH);
  }

  /**
   * The address the admin API listens on: the admin listener's ({@code admin.host}). The
   * demo-token refusal ({@link DemoTokenGuard}) judges this address.
   */
  static String adminListenHost(AdminOptions admin) {
    return admin.host();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", "cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Integer portOverride(Map<String, String> env, String variable) {
    String value = env.get(variable);
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
      throw new ConfigException(variable, "", "must be a port number (0-65535), got '" + value + "'");
    }
  }
}
