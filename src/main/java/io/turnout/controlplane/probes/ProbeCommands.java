package io.turnout.controlplane.probes;

/**
 * The probe API on the event bus (request/reply, a local consumer on every node, JSON bodies):
 *
 * <ul>
 *   <li>{@code {action: "run", route_version, operator}}: runs the version's suite from this node
 *       and replies with the run's evidence once it is stored ({@code passed: false} is a reply, not
 *       a failure); fails 400 for an unknown version or a missing field.
 *   <li>{@code {action: "latest", route_version}}: the latest evidence of the version (from any
 *       member when clustered); fails 404 when it has none.
 * </ul>
 *
 * A run takes as long as its probes (each bounded by the version's {@code timeout_ms}): senders set
 * {@code DeliveryOptions.setSendTimeout} accordingly, e.g. {@link #RUN_SEND_TIMEOUT_MS}.
 */
public final class ProbeCommands {

  /** The address of the probe API. */
  public static final String ADDRESS = "turnout.control.probes";
  /**
   * Where every finished run is published (cluster-wide, by the member that ran it):
   * {@code {type: "probe_run", node, time, run_id, route_version, operator, passed, probes (count),
   * failed: ["role/provider/name[=error_class]", ...]}}.
   */
  public static final String EVENTS = "turnout.probe.events";
  /** The send timeout the admin API uses for a run. */
  public static final long RUN_SEND_TIMEOUT_MS = 600_000;

  private ProbeCommands() {}
}
