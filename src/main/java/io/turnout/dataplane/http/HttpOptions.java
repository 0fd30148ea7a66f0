package io.turnout.dataplane.http;

import io.turnout.config.ConfigNode;

/**
 * The node's HTTP front door.
 *
 * @param instances HTTP verticle instances, each on its own event loop with its own provider pools
 * @param headerTimeoutMs how long a new connection may take to send its first request's headers
 * @param bodyTimeoutMs how long a request may take to send its body once its headers arrived
 * @param keepAliveTimeoutMs how long a connection may stay open between requests (and take to send
 *     the next request's headers)
 * @param maxConnections client connections open at once, node-wide; more are closed at once
 * @param shutdownGraceMs on shutdown, how long requests in flight may take to finish
 * @param drainDelayMs on shutdown, how long the node keeps accepting connections after readiness
 *     turned DOWN, so load balancers notice before connections are refused
 * @param maxBodyBytesInFlight request body bytes held at once, node-wide; a body that does not fit
 *     is refused with 503 (at least {@code maxBodyBytes}, so every allowed body can pass alone)
 */
public record HttpOptions(String host, int port, int instances, int maxBodyBytes, long headerTimeoutMs,
    long bodyTimeoutMs, long keepAliveTimeoutMs, int maxConnections, long shutdownGraceMs, long drainDelayMs,
    long maxBodyBytesInFlight) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  /** 0 means one instance per available core. */
  public static final int DEFAULT_INSTANCES = 0;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  /** nginx's {@code client_header_timeout} is 60 s; a chat client sends its headers at once. */
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  /** Bodies are at most {@code max_body_bytes}: 30 s is 140 KB/s for the default 4 MiB. */
  public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
  /** Below the 60-120 s idle timeouts of common load balancers, so the node closes first. */
  public static final long DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Kubernetes' default termination grace period is 30 s; the node ends first. */
  public static final long DEFAULT_SHUTDOWN_GRACE_MS = 25_000;
  public static final long DEFAULT_DRAIN_DELAY_MS = 3_000;
  /**
   * Eight default-size bodies: with their parse trees and upstream copies (about five times the
   * bytes in all), well inside a 512 MB node. A larger {@code max_body_bytes} raises it to that.
   */
  public static final long DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 32L * 1024 * 1024;

  public HttpOptions {
    if (maxBodyBytesInFlight < maxBodyBytes) {
      throw new IllegalArgumentException("max_body_bytes_in_flight (" + maxBodyBytesInFlight
          + ") must be at least max_body_bytes (" + maxBodyBytes + ")");
    }
  }

  /** The front door with these limits and the body budget at its default for {@code maxBodyBytes}. */
  public HttpOptions(String host, int port, int instances, int maxBodyBytes, long headerTimeoutMs,
      long bodyTimeoutMs, long keepAliveTimeoutMs, int maxConnections, long shutdownGraceMs, long drainDelayMs) {
    this(host, port, instances, maxBodyBytes, headerTimeoutMs, bodyTimeoutMs, keepAliveTimeoutMs, maxConnections,
        shutdownGraceMs, drainDelayMs, Math.max(DEFAULT_MAX_BODY_BYTES_IN_FLIGHT, maxBodyBytes));
  }

  /** The front door with every client limit at its default. */
  public HttpOptions(String host, int port, int instances, int maxBodyBytes) {
    this(host, port, instances, maxBodyBytes, DEFAULT_HEADER_TIMEOUT_MS, DEFAULT_BODY_TIMEOUT_MS,
        DEFAULT_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_SHUTDOWN_GRACE_MS, DEFAULT_DRAIN_DELAY_MS);
  }

  /** Reads {@code http}; {@code portOverride} (from TURNOUT_HTTP_PORT) wins over the file when not null. */
  public static HttpOptions fromConfig(ConfigNode node, Integer portOverride) {
    String host = node.optString("host", DEFAULT_HOST);
    int port = node.intValue("port", DEFAULT_PORT, 0, 65_535);
    int instances = node.intValue("instances", DEFAULT_INSTANCES, 0, 256);
    int maxBody = node.intValue("max_body_bytes", DEFAULT_MAX_BODY_BYTES, 1_024, 256 * 1024 * 1024);
    long header = node.intValue("header_timeout_ms", (int) DEFAULT_HEADER_TIMEOUT_MS, 100, 600_000);
    long body = node.intValue("body_timeout_ms", (int) DEFAULT_BODY_TIMEOUT_MS, 100, 3_600_000);
    long keepAlive = node.intValue("keep_alive_timeout_ms", (int) DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 100, 3_600_000);
    int maxConnections = node.intValue("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
    long grace = node.intValue("shutdown_grace_ms", (int) DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000);
    long drainDelay = node.intValue("drain_delay_ms", (int) DEFAULT_DRAIN_DELAY_MS, 0, 120_000);
    long inFlight = node.longValue("max_body_bytes_in_flight", Math.max(DEFAULT_MAX_BODY_BYTES_IN_FLIGHT, maxBody),
        maxBody, 16L * 1024 * 1024 * 1024);
    node.finish();
    return new HttpOptions(host, portOverride != null ? portOverride : port, instances, maxBody, header, body,
        keepAlive, maxConnections, grace, drainDelay, inFlight);
  }

  /** The instance count to deploy. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
