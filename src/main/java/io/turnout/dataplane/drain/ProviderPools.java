package io.turnout.dataplane.drain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteView;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps connection pools only for the providers the route versions in force use
 * ({@link ReferencedProviders}). After a route change, the pools of every provider no longer
 * referenced are released on every event loop (idle connections close at once, busy ones when
 * their attempt ends); a provider referenced again gets a new pool on its next attempt. One INFO
 * line per provider released or reopened, and the gauge {@code turnout_provider_pool_open}
 * (1 pooled, 0 released) per provider.
 */
public final class ProviderPools {

  /** 1 while a provider's pools are kept, 0 once released: tag provider. */
  public static final String POOL_OPEN = "turnout.provider.pool.open";

  private static final Logger LOG = LoggerFactory.getLogger(ProviderPools.class);

  /** One event loop's providers. */
  private record Loop(Context context, Map<String, ChatProvider> providers) {}

  private final RouteView routes;
  private final Set<String> configured;
  private final List<Loop> loops = new CopyOnWriteArrayList<>();
  /** The providers whose pools are released; replaced as a whole. */
  private volatile Set<String> released;

  public ProviderPools(RouteView routes, Collection<String> configured, MeterRegistry registry) {
    this.routes = routes;
    this.configured = new LinkedHashSet<>(configured);
    this.released = unreferenced(routes.current());
    for (String provider : this.configured) {
      Gauge.builder(POOL_OPEN, this, pools -> pools.pooled(provider) ? 1 : 0).tag("provider", provider)
          .description("1 while some route version in force uses the provider and its connection pools are kept")
          .register(registry);
    }
    if (!released.isEmpty()) {
      LOG.info("No route version in force uses provider(s) {}: no connection pools for them until one does",
          released);
    }
  }

  /** Whether the provider's pools are kept (some route version in force uses it). */
  public boolean pooled(String provider) {
    return configured.contains(provider) && !released.contains(provider);
  }

  /** Registers one event loop's providers; returns the handle for {@link #detach}. */
  public Object attach(Context context, Map<String, ChatProvider> providers) {
    Loop loop = new Loop(context, providers);
    loops.add(loop);
    return loop;
  }

  public void detach(Object loop) {
    loops.remove(loop);
  }

  /**
   * A route change was applied: releases the pools of providers no version in force uses any
   * more, on each provider's own event loop. Call from one thread at a time (the drain verticle).
   */
  public void routesChanged() {
    RouteSnapshot snapshot = routes.current();
    Set<String> next = unreferenced(snapshot);
    Set<String> before = released;
    long revision = snapshot.pointers().revision();
    List<String> newlyReleased = new ArrayList<>();
    for (String provider : configured) {
      if (next.contains(provider) && !before.contains(provider)) {
        newlyReleased.add(provider);
        LOG.info("Provider {} is used by no route version in force (revision {}): closing its connection pools",
            provider, revision);
      } else if (!next.contains(provider) && before.contains(provider)) {
        LOG.info("Provider {} is used again by a route version in force (revision {}): its connection pools reopen"
            + " on its next attempt", provider, revision);
      }
    }
    released = next;
    if (newlyReleased.isEmpty()) {
      return;
    }
    for (Loop loop : loops) {
      loop.context().runOnContext(v -> {
        for (String provider : newlyReleased) {
          // Checked again on the loop: a later change may already use the provider again.
          ChatProvider p = loop.providers().get(provider);
          if (p != null && released.contains(provider)) {
            p.releaseConnections();
          }
        }
      });
    }
  }

  private Set<String> unreferenced(RouteSnapshot snapshot) {
    Set<String> referenced = ReferencedProviders.of(snapshot);
    Set<String> result = new LinkedHashSet<>(configured);
    result.removeAll(referenced);
    return Collections.unmodifiableSet(result);
  }
}
