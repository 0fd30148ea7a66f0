package io.turnout.controlplane.cluster;

import io.vertx.core.Vertx;

/**
 * The naming rule of the control plane's shared-data maps: when the node is clustered a map is
 * the cluster's (Hazelcast), shared by every member; when it is not, it is the node's own, so that
 * several nodes sharing one Vert.x (tests, tools) stay as independent as separate processes.
 */
public final class NodeMaps {

  private NodeMaps() {}

  /** The name to open map {@code base} under on {@code vertx} for node {@code nodeId}. */
  public static String name(Vertx vertx, String base, String nodeId) {
    return vertx.isClustered() ? base : base + "." + nodeId;
  }
}
