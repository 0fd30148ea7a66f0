package io.turnout.node;

import io.turnout.routes.RouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.BooleanSupplier;

/**
 * The node's readiness checks, served at {@code GET /health/ready}: DOWN until every deployment
 * has completed and while no route map with at least one version is loaded or no scope has an
 * active pointer, so a load balancer
 * sends no traffic to a node that cannot route it.
 */
public final class Readiness {

  /** UP once {@link Node#start} has deployed everything. */
  public static final String NODE_STARTED = "node-started";
  /** UP while the running route map has versions and a pointer; reports the pointers' revision and source. */
  public static final String ROUTE_MAP = "route-map";

  /** DOWN once the node is shutting down. */
  public static final String ACCEPTING = "accepting";
  /**
   * Clustered nodes only, always UP: the members this one sees and whether they make the quorum
   * of {@code cluster.expected_members} (a member on the minority side refuses route changes).
   */
  public static final String CLUSTER = "cluster";

  private Readiness() {}

  /**
   * @param started true once every verticle of the node is deployed
   * @param routes the node's running route state
   */
  public static HealthChecks create(Vertx vertx, BooleanSupplier started, RouteTable routes) {
    return create(vertx, started, routes, () -> true);
  }

  /**
   * @param accepting false once the node is shutting down: readiness turns DOWN at once, before
   *     the front door stops accepting, so load balancers move traffic first
   */
  public static HealthChecks create(Vertx vertx, BooleanSupplier started, RouteTable routes,
      BooleanSupplier accepting) {
    return HealthChecks.create(vertx)
        .register(ACCEPTING, promise -> promise.complete(accepting.getAsBoolean() ? Status.OK()
            : Status.KO(new JsonObject().put("reason", "shutting down"))))
        .register(NODE_STARTED, promise -> promise.complete(started.getAsBoolean() ? Status.OK() : Status.KO()))
        .register(ROUTE_MAP, promise -> promise.complete(routes.current().map().versions().isEmpty()
            || routes.current().pointers().byScope().isEmpty()
            // No pointer at all: every request would be no_route.
            ? Status.KO(new JsonObject().put("reason", "no scope has an active pointer"))
            : Status.OK(new JsonObject()
                .put("pointers_revision", routes.current().pointers().revision())
                .put("source", routes.current().source()))));
  }
}
