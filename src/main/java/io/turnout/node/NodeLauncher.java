package io.turnout.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.config.ConfigException;
import io.turnout.controlplane.cluster.ClusterJoin;
import io.turnout.simulator.SimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a node, or only the config's provider simulator, in this process: {@code [node] [--conf
 * DIR]} or {@code simulator [--conf DIR]}. The config directory comes from {@code --conf}, else
 * {@code TURNOUT_CONF_DIR}, else {@code ./conf}. Used by {@link io.turnout.Main} and the CLI's
 * {@code node} and {@code simulator} commands. On an invalid config or a failed start the process
 * exits (64 bad arguments, 2 invalid config, 1 failed start); SIGTERM shuts the node down
 * gracefully.
 */
public final class NodeLauncher {

  /** Selects the config directory when {@code --conf} is not given. */
  public static final String ENV_CONF_DIR = "TURNOUT_CONF_DIR";

  private static final Logger LOG = LoggerFactory.getLogger(NodeLauncher.class);

  private NodeLauncher() {}

  /** Starts what {@code args} ask for and returns; the node runs on Vert.x's threads. */
  public static void run(String[] args) {
    if (args.length > 0 && "node".equals(args[0])) {
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    boolean simulatorOnly = args.length > 0 && "simulator".equals(args[0]);
    Path confDir;
    try {
      confDir = confDir(simulatorOnly ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
    } catch (IllegalArgumentException e) {
      System.err.println("turnout: " + e.getMessage());
      System.err.println("usage: java -jar turnout.jar [simulator] [--conf DIR]");
      System.exit(64);
      return;
    }
    NodeConfig config;
    try {
      // A node starts on a refused route map file (its last applied copy, or the cluster's state); the
      // simulator alone needs none.
      config = simulatorOnly ? NodeConfig.load(confDir) : NodeConfig.loadForStart(confDir, System.getenv());
    } catch (ConfigException e) {
      System.err.println("turnout: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    io.turnout.dataplane.observability.LogFormat.apply(config.observability().logFormat());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x's own metrics for pools, the event bus and verticles; its per-request HTTP meters are
    // off: turnout_requests/turnout_attempts already measure every request, with routing tags,
    // and the duplicates cost about a sixth of the node's CPU per proxied request.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true);
    metrics.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER).addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
    Vertx vertx;
    try {
      vertx = ClusterJoin.vertx(config.cluster(), config.confDir(), new VertxOptions().setMetricsOptions(metrics),
          new MicrometerMetricsFactory(registry));
    } catch (Exception e) {
      LOG.error("Turnout node failed to join its cluster: {}", e.getMessage());
      System.exit(1);
      return;
    }
    java.util.concurrent.atomic.AtomicReference<Node> running = new java.util.concurrent.atomic.AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, running.get(), config),
        "turnout-shutdown"));
    if (simulatorOnly) {
      runSimulator(vertx, config);
      return;
    }
    try {
      Node node = Node.start(vertx, config, java.time.Clock.systemUTC(), registry).await();
      running.set(node);
      LOG.info("Turnout node ready: http://{}:{} (conf {}, {} aliases, {} providers{}); admin API and console on "
          + "http://{}:{}/console", config.http().host(), node.httpPort(), confDir, node.routes().current().map().aliases().size(),
          config.providers().size(), node.simulatorPort() > 0 ? ", simulator on port " + node.simulatorPort() : "",
          config.admin().host(), node.adminPort());
    } catch (Exception e) {
      boolean invalid = e instanceof ConfigException || e.getCause() instanceof ConfigException;
      LOG.error("Turnout node failed to start: {}{}", invalid ? "invalid configuration: " : "", e.getMessage());
      vertx.close();
      System.exit(invalid ? 2 : 1);
    }
  }

  /**
   * SIGTERM: the node drains and finishes its requests in flight (see {@link Node#shutdown()}),
   * then Vert.x closes (leaving the cluster), then the log appenders flush, so every request's
   * line is written.
   */
  private static void shutdown(Vertx vertx, Node node, NodeConfig config) {
    long budgetMs = config.http().drainDelayMs() + config.http().shutdownGraceMs() + 5_000;
    try {
      if (node != null) {
        node.shutdown().toCompletionStage().toCompletableFuture().get(budgetMs, TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Graceful shutdown did not complete: {}", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // exiting anyway
    }
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.stop();
    }
  }

  /** Runs only the config's simulator section, whether or not it is enabled for the node. */
  private static void runSimulator(Vertx vertx, NodeConfig config) {
    try {
      SimulatorVerticle simulator = new SimulatorVerticle(config.simulator());
      vertx.deployVerticle(simulator).await();
      LOG.info("Turnout provider simulator ready on {}:{}", config.simulator().getHost(), simulator.actualPort());
    } catch (Exception e) {
      LOG.error("Provider simulator failed to start: {}", e.getMessage());
      vertx.close();
      System.exit(1);
    }
  }

  /** The config directory {@code args} name ({@code --conf DIR}), else the environment's, else ./conf. */
  public static Path confDir(String[] args) {
    String dir = System.getenv(ENV_CONF_DIR);
    for (int i = 0; i < args.length; i++) {
      if ("--conf".equals(args[i])) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--conf needs a directory");
        }
        dir = args[++i];
      } else if (args[i].startsWith("--conf=")) {
        dir = args[i].substring("--conf=".length());
      } else {
        throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    return Path.of(dir == null || dir.isBlank() ? "conf" : dir).toAbsolutePath().normalize();
  }
}
