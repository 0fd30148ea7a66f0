package io.turnout.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.turnout.routes.RouteEvents;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteTable;
import io.turnout.routes.RouteVersion;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The route state as meters, so a dashboard can split old and new versions and annotate flips:
 * the active version per scope (info-style: only the current version of a scope has a series),
 * its canary share and hold (frozen or paused), this member's applied revision, and route changes
 * by source. Refreshed from {@link RouteTable} on every route event this member publishes
 * ({@link RouteEvents#ADDRESS}, local consumer: a change another member makes reaches this one
 * as its own {@code applied} event when it adopts it).
 */
public final class RouteStateMetrics {

  public static final String ACTIVE_INFO = "turnout.route.active.info";
  public static final String CANARY_SHARE = "turnout.route.canary.share";
  public static final String FROZEN = "turnout.route.frozen";
  public static final String REVISION = "turnout.route.revision";
  public static final String CHANGES = "turnout.route.changes";

  /** What made a route change; the {@code source} tag of {@value #CHANGES}. */
  public enum Source {
    OPERATOR, FILE, GATE, EXPIRY, DRILL;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final RouteTable routes;
  private final String nodeId;
  private final MultiGauge active;
  private final MultiGauge share;
  private final MultiGauge frozen;
  private final Map<Source, Counter> changes = new EnumMap<>(Source.class);

  public RouteStateMetrics(MeterRegistry registry, RouteTable routes, String nodeId) {
    this.routes = routes;
    this.nodeId = nodeId;
    this.active = MultiGauge.builder(ACTIVE_INFO)
        .description("1 for the route version active on each scope (only the current version has a series)")
        .register(registry);
    this.share = MultiGauge.builder(CANARY_SHARE)
        .description("The canary share in force on each scope (the version's, or what a gate or operator set)")
        .register(registry);
    this.frozen = MultiGauge.builder(FROZEN)
        .description("1 while a scope is frozen or paused (label state: none, frozen or paused)").register(registry);
    Gauge.builder(REVISION, routes, RouteTable::revision).tag("member", nodeId)
        .description("The route revision this member has applied").register(registry);
    for (Source source : Source.values()) {
      changes.put(source, Counter.builder(CHANGES).tag("source", source.wireName())
          .description("Route changes this member made, by source (sum over members = changes made)")
          .register(registry));
    }
    refresh();
  }

  /** Listens to this member's route events; the future completes once the consumer is registered. */
  public Future<MessageConsumer<JsonObject>> listen(Vertx vertx) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(RouteEvents.ADDRESS, m -> onEvent(m.body()));
    return consumer.completion().map(v -> consumer);
  }

  /** Counts a route event this member published and refreshes the state gauges. */
  void onEvent(JsonObject event) {
    if (nodeId.equals(event.getString("node"))) {
      Source source = sourceOf(event);
      if (source != null) {
        changes.get(source).increment();
      }
    }
    refresh();
  }

  /** What made the change an event reports, or null when it is not a change this member made. */
  static Source sourceOf(JsonObject event) {
    return switch (event.getString("type", "")) {
      case "changed" -> event.getString("drill") != null ? Source.DRILL : Source.OPERATOR;
      case "gate_action" -> Source.GATE;
      case "expired" -> Source.EXPIRY;
      // An adopted revision is another member's change, counted there.
      case "applied" -> event.containsKey("adopted_from") ? null : Source.FILE;
      default -> null;
    };
  }

  /** Rewrites the per-scope gauges from the table's current snapshot. */
  void refresh() {
    RouteSnapshot snapshot = routes.current();
    List<MultiGauge.Row<?>> activeRows = new ArrayList<>();
    List<MultiGauge.Row<?>> shareRows = new ArrayList<>();
    List<MultiGauge.Row<?>> frozenRows = new ArrayList<>();
    for (Map.Entry<ScopeKey, String> pointer : snapshot.pointers().byScope().entrySet()) {
      String scope = pointer.getKey().toString();
      ScopeControl control = snapshot.pointers().control(pointer.getKey());
      RouteVersion version = snapshot.map().version(pointer.getValue());
      activeRows.add(MultiGauge.Row.of(Tags.of("scope", scope, "version", pointer.getValue()), 1));
      shareRows.add(MultiGauge.Row.of(Tags.of("scope", scope), version == null ? 0 : control.shareFor(version)));
      String state = control.paused() ? "paused" : control.frozen() ? "frozen" : "none";
      frozenRows.add(MultiGauge.Row.of(Tags.of("scope", scope, "state", state), state.equals("none") ? 0 : 1));
    }
    active.register(activeRows, true);
    share.register(shareRows, true);
    frozen.register(frozenRows, true);
  }
}
