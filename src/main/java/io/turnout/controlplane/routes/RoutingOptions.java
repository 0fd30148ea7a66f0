package io.turnout.controlplane.routes;

import io.turnout.config.ConfigNode;
import io.turnout.dataplane.drain.DrainMode;
import io.turnout.dataplane.routing.RetryBudget;

/**
 * Where the route map lives and how the node keeps it current.
 *
 * @param file the route map file, relative to the config directory
 * @param watch whether edits to the file are applied without a restart
 * @param scanPeriodMs how often the file is checked for changes
 * @param expiryCheckMs how often active versions are checked for expiry
 * @param retryRatio retries allowed as a share of requests (node-wide retry budget)
 * @param retryFloorPerSecond retries always allowed per second, whatever the ratio
 * @param retryMaxBalance how many unused retry tokens can be banked
 * @param drainInFlight what happens to attempts in flight on a version when its scope moves away from it
 * @param maxFileBytes the largest route map file read: a bigger one is refused before it is parsed
 */
public record RoutingOptions(String file, boolean watch, long scanPeriodMs, long expiryCheckMs, double retryRatio,
    int retryFloorPerSecond, int retryMaxBalance, DrainMode drainInFlight, long maxFileBytes) {

  public static final String DEFAULT_FILE = "routes.yaml";
  public static final long DEFAULT_SCAN_PERIOD_MS = 1_000;
  public static final long DEFAULT_EXPIRY_CHECK_MS = 1_000;
  /** 1 MiB: a route map is a reviewed file of a few KiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 1L << 20;
  /** 8 MiB: the route map text travels in one cluster map entry, which must stay decodable. */
  public static final long MAX_MAX_FILE_BYTES = 8L << 20;

  /** Reads {@code routing}; every field optional. */
  public static RoutingOptions fromConfig(ConfigNode node) {
    String file = node.optString("file", DEFAULT_FILE);
    boolean watch = node.bool("watch", true);
    long scan = node.longValue("scan_period_ms", DEFAULT_SCAN_PERIOD_MS, 50, 3_600_000);
    long expiry = node.longValue("expiry_check_ms", DEFAULT_EXPIRY_CHECK_MS, 50, 3_600_000);
    ConfigNode budget = node.child("retry_budget");
    double ratio = budget.doubleValue("ratio", RetryBudget.DEFAULT_RATIO, 0, 1);
    int floor = budget.intValue("floor_per_second", RetryBudget.DEFAULT_FLOOR_PER_SECOND, 0, 100_000);
    int balance = budget.intValue("max_balance", RetryBudget.DEFAULT_MAX_BALANCE, 1, 1_000_000);
    budget.finish();
    ConfigNode drain = node.child("drain");
    DrainMode inFlight = drain.enumValue("in_flight", DrainMode.FINISH, DrainMode::fromWireName, DrainMode.ALLOWED);
    drain.finish();
    long maxFileBytes = node.longValue("max_file_bytes", DEFAULT_MAX_FILE_BYTES, 1_024, MAX_MAX_FILE_BYTES);
    node.finish();
    return new RoutingOptions(file, watch, scan, expiry, ratio, floor, balance, inFlight, maxFileBytes);
  }
}
