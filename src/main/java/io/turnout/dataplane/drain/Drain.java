package io.turnout.dataplane.drain;

import io.micrometer.core.instrument.MeterRegistry;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.routes.RouteView;
import io.vertx.core.Context;
import java.util.Collection;
import java.util.Map;

/**
 * What a node does once a route change is applied, beyond serving the new state: cancel attempts
 * in flight on versions no longer in force ({@code routing.drain.in_flight: cancel}) and release
 * the connection pools of providers no version in force uses. Node-wide; every routing verticle
 * attaches its event loop.
 */
public final class Drain {

  /** One event loop's attachment: its registry of attempts in flight, and the handle to detach it. */
  public final class Attachment {
    private final InFlightAttempts.Loop inFlight;
    private final Object pools;

    private Attachment(InFlightAttempts.Loop inFlight, Object pools) {
      this.inFlight = inFlight;
      this.pools = pools;
    }

    public InFlightAttempts.Loop inFlight() {
      return inFlight;
    }

    /** The loop's verticle stopped. */
    public void detach() {
      inFlightAttempts.detach(inFlight);
      providerPools.detach(pools);
    }
  }

  /**
   * Published (cluster-wide) to cancel attempts in flight on versions no longer in force, whatever
   * {@code routing.drain.in_flight} says: {@code {route_versions: [...]}} (a drill's drain check
   * with {@code cancel_in_flight}).
   */
  public static final String CANCEL_ADDRESS = "turnout.drain.cancel";

  private final InFlightAttempts inFlightAttempts;
  private final ProviderPools providerPools;

  public Drain(RouteView routes, DrainMode mode, Collection<String> providers, MeterRegistry registry) {
    this.inFlightAttempts = new InFlightAttempts(routes, mode);
    this.providerPools = new ProviderPools(routes, providers, registry);
  }

  /** Attaches the event loop of {@code context}, which runs attempts on {@code providers}. */
  public Attachment attach(Context context, Map<String, ChatProvider> providers) {
    return new Attachment(inFlightAttempts.attach(context), providerPools.attach(context, providers));
  }

  /** A route change was applied on this node. Call from one thread at a time. */
  public void routesChanged() {
    inFlightAttempts.routesChanged();
    providerPools.routesChanged();
  }

  /** Cancels this node's attempts in flight on {@code versions} where they are no longer in force. */
  public void cancelInFlight(java.util.Set<String> versions) {
    inFlightAttempts.cancel(versions);
  }

  public ProviderPools pools() {
    return providerPools;
  }
}
