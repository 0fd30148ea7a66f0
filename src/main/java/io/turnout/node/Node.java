package io.turnout.node;

import io.turnout.http.RoutingVerticle;
import io.turnout.simulator.SimulatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Turnout node on a {@link Vertx}: the simulator (when enabled) and the routing
 * verticles. {@link Main} runs one per process; tests run several in one JVM.
 */
public final class Node {

  private final Vertx vertx;
  private final List<String> deployments;
  private final int httpPort;
  private final int simulatorPort;

  private Node(Vertx vertx, List<String> deployments, int httpPort, int simulatorPort) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.httpPort = httpPort;
    this.simulatorPort = simulatorPort;
  }

  /** Deploys the node; the future completes once every verticle has started. */
  public static Future<Node> start(Vertx vertx, NodeConfig config) {
    List<String> deployments = new ArrayList<>();
    AtomicInteger simulatorPort = new AtomicInteger(-1);
    Future<Void> simulator = Future.succeededFuture();
    if (config.simulator().isEnabled()) {
      // First, so the providers pointing at it can connect from the first request on.
      SimulatorVerticle verticle = new SimulatorVerticle(config.simulator());
      simulator = vertx.deployVerticle(verticle).map(id -> {
        deployments.add(id);
        simulatorPort.set(verticle.actualPort());
        return null;
      });
    }
    AtomicInteger httpPort = new AtomicInteger();
    int instances = config.http().effectiveInstances();
    return simulator
        .compose(v -> vertx.deployVerticle(() -> new RoutingVerticle(config, instances, httpPort::set),
            new DeploymentOptions().setInstances(instances)))
        .map(id -> {
          deployments.add(id);
          return new Node(vertx, deployments, httpPort.get(), simulatorPort.get());
        });
  }

  /** The port the HTTP front door listens on. */
  public int httpPort() {
    return httpPort;
  }

  /** The simulator's port, or -1 when the simulator is not enabled. */
  public int simulatorPort() {
    return simulatorPort;
  }

  /** Undeploys everything this node deployed, newest first. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }
}
