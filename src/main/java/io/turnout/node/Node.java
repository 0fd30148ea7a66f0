package io.turnout.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.controlplane.cluster.ClusterWatch;
import io.turnout.controlplane.audit.AuditLog;
import io.turnout.controlplane.drills.AutoFallback;
import io.turnout.controlplane.drills.DrillVerticle;
import io.turnout.controlplane.gates.GateOptions;
import io.turnout.controlplane.gates.GateVerticle;
import io.turnout.controlplane.gates.LatestSignals;
import io.turnout.dataplane.signals.SignalWindows;
import io.turnout.controlplane.audit.AuditRestore;
import io.turnout.dataplane.drain.Drain;
import io.turnout.dataplane.http.FrontDoor;
import io.turnout.controlplane.listener.AdminVerticle;
import io.turnout.dataplane.http.RoutingVerticle;
import io.turnout.dataplane.provider.ProviderKeys;
import io.turnout.metrics.MicrometerNodeMetrics;
import io.turnout.dataplane.observability.RequestObserver;
import io.turnout.controlplane.probes.ProbeVerticle;
import io.turnout.controlplane.notify.NotifyVerticle;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.concurrent.atomic.AtomicBoolean;
import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.routes.Reversion;
import io.turnout.dataplane.routing.RetryBudget;
import io.turnout.routes.RouteTable;
import io.turnout.simulator.SimulatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.turnout.controlplane.drain.DrainVerticle;
import io.turnout.controlplane.cluster.MemberNames;
import io.turnout.controlplane.routes.AppliedRouteFile;
import io.turnout.controlplane.routes.RouteControlSettings;
import io.turnout.controlplane.routes.RouteMapReader;
import io.turnout.controlplane.routes.RouteStartup;
import io.turnout.controlplane.routes.StartingRoutes;
import io.turnout.controlplane.routes.ScopeBreaches;
import io.turnout.controlplane.routes.RouteControlVerticle;

/**
 * A running Turnout node on a {@link Vertx}: the simulator (when enabled), the route control
 * plane and the routing verticles, plus the state they share in-process: the route table, the
 * provider breakers and the retry budget. {@link io.turnout.Main} runs one per process; tests run
 * several in one JVM.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final String id;
  private final List<String> deployments;
  private final RouteTable routes;
  private final ProviderBreakers breakers;
  private final RetryBudget retryBudget;
  private final int httpPort;
  private final int simulatorPort;
  private final FrontDoor frontDoor;
  private final int adminPort;
  private io.turnout.metrics.NodeObservability observability;

  private Node(Vertx vertx, String id, List<String> deployments, RouteTable routes, ProviderBreakers breakers,
      RetryBudget retryBudget, int httpPort, int simulatorPort, FrontDoor frontDoor, int adminPort) {
    this.frontDoor = frontDoor;
    this.vertx = vertx;
    this.id = id;
    this.deployments = deployments;
    this.routes = routes;
    this.breakers = breakers;
    this.retryBudget = retryBudget;
    this.httpPort = httpPort;
    this.simulatorPort = simulatorPort;
    this.adminPort = adminPort;
  }

  /** Deploys the node on the wall clock with its own metrics registry. */
  public static Future<Node> start(Vertx vertx, NodeConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  /** Deploys the node with its own metrics registry. */
  public static Future<Node> start(Vertx vertx, NodeConfig config, Clock clock) {
    return start(vertx, config, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Deploys the node; the future completes once every verticle has started, and readiness turns
   * UP only then.
   *
   * @param registry where the node's metrics go, scraped at {@code GET /metrics}
   */
  public static Future<Node> start(Vertx vertx, NodeConfig config, Clock clock, PrometheusMeterRegistry registry) {
    AuditLog audit = new AuditLog(config.auditFile());
    AppliedRouteFile applied = AppliedRouteFile.besideAuditLog(config.auditFile());
    String routesFile = config.confDir().resolve(config.routing().file()).toString();
    RouteMapReader reader = (source, text) -> NodeConfig.parseRoutes(source, text, config.providers(),
        config.dataPolicy());
    // Members adopting a flip parse the same route map text again and again: parsed once, by digest.
    RouteMapReader adoptionReader = new io.turnout.controlplane.routes.CachingRouteMapReader(
        (source, text) -> NodeConfig.parseAdoptedRoutes(source, text, config.providers()));
    StartingRoutes.FileAtStart file = new StartingRoutes.FileAtStart(routesFile, config.routesText(), config.routes(),
        config.routesRefusal());
    // First the member's name (a live member's is refused), then the routes it starts on.
    return MemberNames.claim(vertx, config.nodeName()).compose(id -> RouteStartup.prepare(vertx, id, file, audit,
        applied, reader, adoptionReader).compose(prepared -> deploy(vertx, config, clock, registry, audit, id,
        prepared, new RouteControlSettings(config.environment(), config.confDir(), config.routing(), prepared.routes(),
            applied, reader, adoptionReader, config.probes(), new ScopeBreaches(),
            vertx.isClustered() && config.cluster().expectedMembers() > 0))));
  }

  private static Future<Node> deploy(Vertx vertx, NodeConfig config, Clock clock, PrometheusMeterRegistry registry,
      AuditLog audit, String id, RouteStartup.Prepared prepared, RouteControlSettings settings) {
    List<String> deployments = new ArrayList<>();
    AuditRestore.Outcome restored = prepared.pointers();
    LOG.info("Node {}: routes from {}; pointers {} ({})", id, prepared.routes().note(),
        restored.restored() ? "from the audit log" : "from the route map", restored.note());
    RouteTable.Initial initial = RouteTable.initial(prepared.routes().map(), restored.pointers(),
        prepared.routes().source(), clock.instant());
    for (Reversion r : initial.reversions()) {
      LOG.warn("Route version {} for scope {} had expired at {}: serving its rollback version {}", r.from(), r.scope(),
          r.expiresAt(), r.to());
    }
    RouteTable routes = initial.table();
    ProviderBreakers breakers = new ProviderBreakers(vertx, config.providers().keySet(), config.breaker(), id);
    RetryBudget retryBudget = new RetryBudget(config.routing().retryRatio(), config.routing().retryFloorPerSecond(),
        config.routing().retryMaxBalance(), System::nanoTime);
    GateOptions gates = config.gates();
    SignalWindows signals = new SignalWindows(gates.bucketMs(), gates.horizonMs(), gates.prices());
    LatestSignals latest = new LatestSignals();
    io.turnout.metrics.NodeObservability observability = new io.turnout.metrics.NodeObservability(vertx,
        registry, config.observability().tracing(), routes, id);
    java.util.Map<String, String> upstreams = new java.util.LinkedHashMap<>();
    config.providers().forEach((name, p) -> upstreams.put(name, p.baseUrl().getHost() + ":" + p.port()));
    RequestObserver observer = new RequestObserver(new MicrometerNodeMetrics(registry, config.providers().keySet(),
        breakers, retryBudget, config.clients().cohorts()), signals, clock, observability.spans(), upstreams);
    AtomicBoolean started = new AtomicBoolean();
    FrontDoor frontDoor = new FrontDoor(config.http(), registry);
    ClusterWatch cluster = ClusterWatch.start(vertx, config.cluster(), RouteControlVerticle.STATE_ADDRESS,
        ClusterWatch.RECONCILE_MS);
    HealthChecks readiness = Readiness.create(vertx, started::get, routes, () -> !frontDoor.draining());
    if (vertx.isClustered()) {
      // A detail, never DOWN: a member on the minority side keeps serving the routes it has.
      readiness.register(Readiness.CLUSTER, promise -> promise.complete(io.vertx.ext.healthchecks.Status.OK(
          cluster.toJson())));
    }
    AtomicInteger simulatorPort = new AtomicInteger(-1);
    Future<Void> simulator = Future.succeededFuture();
    if (config.simulator().isEnabled()) {
      // First, so the providers pointing at it can connect from the first request on.
      SimulatorVerticle verticle = new SimulatorVerticle(config.simulator());
      simulator = vertx.deployVerticle(verticle).map(deployed -> {
        deployments.add(deployed);
        simulatorPort.set(verticle.actualPort());
        return null;
      });
    }
    AtomicInteger httpPort = new AtomicInteger();
    AtomicInteger adminPort = new AtomicInteger();
    int instances = config.http().effectiveInstances();
    Drain drain = new Drain(routes, config.routing().drainInFlight(), config.providers().keySet(), registry);
    AutoFallback autoFallback = new AutoFallback(routes, config.drills().autoFallbackRequiresDrill());
    ProviderKeys keys = new ProviderKeys();
    ScopeBreaches breaches = settings.breaches();
    SecretRotation rotation = new SecretRotation(vertx, config, keys, audit, id, clock);
    RoutingVerticle.Shared shared = new RoutingVerticle.Shared(config.dataPlane(keys), routes, breakers, retryBudget,
        observer, registry, readiness, clock, instances, drain, autoFallback, frontDoor);
    return simulator
        // Before the control plane, so the route state meters count its first change.
        .compose(v -> observability.start())
        // Before the control plane, so it hears about the first change the control plane applies.
        .compose(v -> vertx.deployVerticle(new DrainVerticle(drain, id)))
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new RouteControlVerticle(routes, settings, audit, id, clock, observer.metrics()));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new GateVerticle(gates, signals, routes, id, clock, observer.metrics(), latest,
              config.providers().keySet(), drain.pools()::pooled, breakers::isOpen).breaches(breaches));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new DrillVerticle(config.drills(), routes, latest, autoFallback, gates.bucketMs(), gates.horizonMs(),
              config.environment(), id, clock));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          // Then secret rotation: its timer and the admin command need nothing else of the node.
          return vertx.deployVerticle(new ProbeVerticle(routes, config.providers(), config.probes(), id, clock, keys))
              .compose(probes -> rotation.start().map(probes));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          // Before traffic, so the first event the node publishes can be notified.
          return config.notifications().enabled()
              ? vertx.deployVerticle(new NotifyVerticle(config.notifications(), id, clock, registry))
              : Future.succeededFuture(null);
        })
        .compose(deployed -> {
          if (deployed != null) {
            deployments.add(deployed);
          }
          return vertx.deployVerticle(() -> new RoutingVerticle(shared, httpPort::set),
              new DeploymentOptions().setInstances(instances));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          // One instance: operator traffic is light, and console sessions live in it.
          return vertx.deployVerticle(new AdminVerticle(config.admin(), config.adminTokens(), registry, readiness,
              clock, AdminVerticle.consoleEvents(java.util.Map.of("member", RouteControlVerticle.MEMBER_APPLIED_ADDRESS)),
              adminPort::set));
        })
        .map(deployed -> {
          deployments.add(deployed);
          started.set(true);
          Node node = new Node(vertx, id, deployments, routes, breakers, retryBudget, httpPort.get(),
              simulatorPort.get(), frontDoor, adminPort.get());
          node.observability = observability;
          return node;
        });
  }

  /** This node's id, as it appears in published events. */
  public String id() {
    return id;
  }

  /** The port the HTTP front door listens on. */
  public int httpPort() {
    return httpPort;
  }

  /** The port the admin listener ({@code /admin}, {@code /console}) listens on. */
  public int adminPort() {
    return adminPort;
  }

  /** The simulator's port, or -1 when the simulator is not enabled. */
  public int simulatorPort() {
    return simulatorPort;
  }

  /** The node's routing state. */
  public RouteTable routes() {
    return routes;
  }

  /** The node's provider breakers. */
  public ProviderBreakers breakers() {
    return breakers;
  }

  /** The node-wide retry budget. */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** The HTTP front door's shared state: open connections, requests in flight, draining. */
  public FrontDoor frontDoor() {
    return frontDoor;
  }

  /**
   * Shuts the node down without losing a request (SIGTERM): readiness turns DOWN at once; after
   * {@code http.drain_delay_ms} (load balancers notice) the front door stops accepting
   * connections; requests in flight get up to {@code http.shutdown_grace_ms} to finish, and those
   * still running then are answered 503 (a stream gets an SSE error event), code
   * {@code node_shutting_down}; then everything is undeployed. Every request gets its log line.
   */
  public Future<Void> shutdown() {
    return new GracefulShutdown(vertx, frontDoor, frontDoor.limits().drainDelayMs(),
        frontDoor.limits().shutdownGraceMs()).run().compose(v -> stop());
  }

  /** Undeploys everything this node deployed, newest first. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String deployment = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(deployment));
    }
    return chain.onComplete(v -> breakers.close())
        .compose(v -> observability == null ? Future.<Void>succeededFuture() : observability.stop());
  }
}
