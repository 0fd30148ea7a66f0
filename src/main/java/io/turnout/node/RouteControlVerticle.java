package io.turnout.node;

import io.turnout.config.ConfigException;
import io.turnout.observability.NodeMetrics;
import io.turnout.provider.ProviderOptions;
import io.turnout.routing.Reversion;
import io.turnout.routing.RouteEvents;
import io.turnout.routing.RouteMap;
import io.turnout.routing.RouteSnapshot;
import io.turnout.routing.RouteTable;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's route control plane: watches the route map file and applies valid edits without a
 * restart, refuses invalid ones (file, field path, reason; one log line per distinct error, not
 * one per scan), and reverts active versions that pass their {@code expires_at}. Every change is
 * published on {@link RouteEvents#ADDRESS}. One instance per node.
 */
public final class RouteControlVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouteControlVerticle.class);
  private static final String RAW_KEY = "text";

  private final RouteTable routes;
  private final RoutingOptions options;
  private final String routesFile;
  private final Map<String, ProviderOptions> providers;
  private final String nodeId;
  private final Clock clock;
  private final NodeMetrics metrics;
  private ConfigRetriever retriever;
  private String appliedText;
  private String lastRejection;

  public RouteControlVerticle(RouteTable routes, NodeConfig config, String initialText, String nodeId, Clock clock,
      NodeMetrics metrics) {
    this.metrics = metrics;
    this.routes = routes;
    this.options = config.routing();
    this.routesFile = config.confDir().resolve(options.file()).toString();
    this.providers = config.providers();
    this.appliedText = initialText;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(options.expiryCheckMs(), id -> expire());
    if (!options.watch()) {
      return Future.succeededFuture();
    }
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("raw")
        .setConfig(new JsonObject().put("path", routesFile).put("raw.key", RAW_KEY));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false)
        .setScanPeriod(options.scanPeriodMs()).addStore(store));
    retriever.listen(change -> onFileText(change.getNewConfiguration().getString(RAW_KEY)));
    // The file may have changed between the node's load and this first read.
    return retriever.getConfig().onSuccess(json -> onFileText(json.getString(RAW_KEY))).otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    return retriever == null ? Future.succeededFuture() : retriever.close();
  }

  /** The last refused edit ({@code file: path: reason}) while the file is still invalid, else null. */
  public String lastRejection() {
    return lastRejection;
  }

  private void onFileText(String text) {
    if (text == null) {
      return;
    }
    if (Objects.equals(text, appliedText)) {
      // The file is back to what runs (an edit undone): nothing to apply, but the rejection is
      // over, so the same mistake made again is a new one and must be reported again.
      lastRejection = null;
      return;
    }
    try {
      RouteMap map = NodeConfig.parseRoutes(routesFile, text, providers);
      RouteSnapshot applied = routes.apply(map, routesFile, clock.instant());
      appliedText = text;
      lastRejection = null;
      LOG.info("Route map applied from {}: {} versions, pointers {}", routesFile, map.versions().size(),
          applied.pointers().pointersJson().encode());
      vertx.eventBus().publish(RouteEvents.ADDRESS, RouteEvents.applied(applied, nodeId, clock.instant()));
    } catch (ConfigException e) {
      if (!e.getMessage().equals(lastRejection)) {
        // Once per distinct error: the watcher rescans every period and an operator needs one clear line.
        LOG.warn("Route map edit rejected, running map unchanged: {}", e.getMessage());
        metrics.configRejected();
        vertx.eventBus().publish(RouteEvents.ADDRESS,
            RouteEvents.rejected(e.file(), e.path(), e.reason(), nodeId, clock.instant()));
      }
      lastRejection = e.getMessage();
    }
  }

  private void expire() {
    for (Reversion reversion : routes.expire(clock.instant())) {
      LOG.warn("Route version {} for scope {} expired at {}: reverted to {} by itself", reversion.from(),
          reversion.scope(), reversion.expiresAt(), reversion.to());
      vertx.eventBus().publish(RouteEvents.ADDRESS, RouteEvents.expired(reversion, nodeId, clock.instant()));
    }
  }
}
