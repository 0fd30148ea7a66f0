package io.turnout.node;

import io.turnout.config.ConfigNode;

/**
 * The node's HTTP front door.
 *
 * @param instances HTTP verticle instances, each on its own event loop with its own provider pools
 */
public record HttpOptions(String host, int port, int instances, int maxBodyBytes) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  /** 0 means one instance per available core. */
  public static final int DEFAULT_INSTANCES = 0;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** Reads {@code http}; {@code portOverride} (from TURNOUT_HTTP_PORT) wins over the file when not null. */
  public static HttpOptions fromConfig(ConfigNode node, Integer portOverride) {
    String host = node.optString("host", DEFAULT_HOST);
    int port = node.intValue("port", DEFAULT_PORT, 0, 65_535);
    int instances = node.intValue("instances", DEFAULT_INSTANCES, 0, 256);
    int maxBody = node.intValue("max_body_bytes", DEFAULT_MAX_BODY_BYTES, 1_024, 256 * 1024 * 1024);
    node.finish();
    return new HttpOptions(host, portOverride != null ? portOverride : port, instances, maxBody);
  }

  /** The instance count to deploy. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
