package io.turnout.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.control.AdminApi;
import io.turnout.control.AuditLog;
import io.turnout.drills.AutoFallback;
import io.turnout.drills.DrillVerticle;
import io.turnout.gates.GateOptions;
import io.turnout.gates.GateVerticle;
import io.turnout.gates.LatestSignals;
import io.turnout.gates.SignalWindows;
import io.turnout.control.AuditRestore;
import io.turnout.drain.Drain;
import io.turnout.http.RoutingVerticle;
import io.turnout.observability.MicrometerNodeMetrics;
import io.turnout.observability.RequestObserver;
import io.turnout.probes.ProbeVerticle;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.concurrent.atomic.AtomicBoolean;
import io.turnout.resilience.ProviderBreakers;
import io.turnout.routing.Reversion;
import io.turnout.routing.RetryBudget;
import io.turnout.routing.RouteTable;
import io.turnout.simulator.SimulatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private Node(Vertx vertx, String id, List<String> deployments, RouteTable routes, ProviderBreakers breakers,
      RetryBudget retryBudget, int httpPort, int simulatorPort) {
    this.vertx = vertx;
    this.id = id;
    this.deployments = deployments;
    this.routes = routes;
    this.breakers = breakers;
    this.retryBudget = retryBudget;
    this.httpPort = httpPort;
    this.simulatorPort = simulatorPort;
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
    return vertx.executeBlocking(audit::readAll)
        .compose(entries -> deploy(vertx, config, clock, registry, audit, AuditRestore.pointers(config.routes(),
            entries)));
  }

  private static Future<Node> deploy(Vertx vertx, NodeConfig config, Clock clock, PrometheusMeterRegistry registry,
      AuditLog audit, AuditRestore.Outcome restored) {
    String id = UUID.randomUUID().toString();
    List<String> deployments = new ArrayList<>();
    LOG.info("Route pointers at start: {} ({})", restored.restored() ? "from the audit log" : "from the route map file",
        restored.note());
    RouteTable.Initial initial = RouteTable.initial(config.routes(), restored.pointers(),
        config.confDir().resolve(config.routing().file()).toString(), clock.instant());
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
    RequestObserver observer = new RequestObserver(
        new MicrometerNodeMetrics(registry, config.providers().keySet(), breakers, retryBudget), signals, clock);
    AtomicBoolean started = new AtomicBoolean();
    HealthChecks readiness = Readiness.create(vertx, started::get, routes);
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
    int instances = config.http().effectiveInstances();
    Drain drain = new Drain(routes, config.routing().drainInFlight(), config.providers().keySet(), registry);
    AutoFallback autoFallback = new AutoFallback(routes, config.drills().autoFallbackRequiresDrill());
    RoutingVerticle.Shared shared = new RoutingVerticle.Shared(config.dataPlane(), routes, breakers, retryBudget,
        observer, registry, readiness, clock, instances, drain, autoFallback,
        router -> AdminApi.mount(vertx, router, config.adminTokens()));
    return simulator
        // Before the control plane, so it hears about the first change the control plane applies.
        .compose(v -> vertx.deployVerticle(new DrainVerticle(drain, id)))
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new RouteControlVerticle(routes, config, audit, id, clock, observer.metrics()));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new GateVerticle(gates, signals, routes, id, clock, observer.metrics(), latest,
              config.providers().keySet(), drain.pools()::pooled));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new DrillVerticle(config.drills(), routes, latest, autoFallback, gates.bucketMs(), gates.horizonMs(),
              config.environment(), id, clock));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(new ProbeVerticle(routes, config.providers(), config.probes(), id, clock));
        })
        .compose(deployed -> {
          deployments.add(deployed);
          return vertx.deployVerticle(() -> new RoutingVerticle(shared, httpPort::set),
              new DeploymentOptions().setInstances(instances));
        })
        .map(deployed -> {
          deployments.add(deployed);
          started.set(true);
          return new Node(vertx, id, deployments, routes, breakers, retryBudget, httpPort.get(), simulatorPort.get());
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

  /** Undeploys everything this node deployed, newest first. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String deployment = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(deployment));
    }
    return chain.onComplete(v -> breakers.close());
  }
}
