package io.turnout.node;

import io.turnout.config.ConfigException;
import io.turnout.control.AuditLog;
import io.turnout.control.RouteCommands;
import io.turnout.observability.NodeMetrics;
import io.turnout.provider.ProviderOptions;
import io.turnout.routing.Reversion;
import io.turnout.routing.RouteEvents;
import io.turnout.routing.RouteMap;
import io.turnout.routing.RouteSnapshot;
import io.turnout.routing.RouteTable;
import io.turnout.routing.ScopeKey;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's route control plane, the one writer of the {@link RouteTable}: it applies route map
 * file edits without a restart (refusing invalid ones with file, field path and reason, logged
 * once per distinct error), operators' activations and rollbacks ({@link RouteCommands}), and
 * expiry reversions. Every change is appended to the audit log and forced to disk before it is
 * applied and acknowledged, then published on {@link RouteEvents#ADDRESS}. Changes run one after
 * another on this verticle's context. One instance per node.
 */
public final class RouteControlVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouteControlVerticle.class);
  private static final String RAW_KEY = "text";

  private final RouteTable routes;
  private final RoutingOptions options;
  private final String routesFile;
  private final Map<String, ProviderOptions> providers;
  private final String environment;
  private final AuditLog audit;
  private final String nodeId;
  private final Clock clock;
  private final NodeMetrics metrics;
  private ConfigRetriever retriever;
  private String appliedText;
  private String lastRejection;
  private Future<?> queue = Future.succeededFuture();

  public RouteControlVerticle(RouteTable routes, NodeConfig config, AuditLog audit, String nodeId, Clock clock,
      NodeMetrics metrics) {
    this.routes = routes;
    this.options = config.routing();
    this.routesFile = config.confDir().resolve(options.file()).toString();
    this.providers = config.providers();
    this.environment = config.environment();
    this.appliedText = config.routesText();
    this.audit = audit;
    this.nodeId = nodeId;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(options.expiryCheckMs(), id -> enqueue(this::expire));
    Future<?> commands = vertx.eventBus().<JsonObject>consumer(RouteCommands.ADDRESS, this::onCommand).completion();
    if (!options.watch()) {
      return commands;
    }
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("raw")
        .setConfig(new JsonObject().put("path", routesFile).put("raw.key", RAW_KEY));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false)
        .setScanPeriod(options.scanPeriodMs()).addStore(store));
    retriever.listen(change -> enqueue(() -> onFileText(change.getNewConfiguration().getString(RAW_KEY))));
    // The file may have changed between the node's load and this first read.
    Future<?> watching = retriever.getConfig()
        .onSuccess(json -> enqueue(() -> onFileText(json.getString(RAW_KEY)))).otherwiseEmpty();
    return Future.all(commands, watching);
  }

  @Override
  public Future<?> stop() {
    Future<?> closing = retriever == null ? Future.succeededFuture() : retriever.close();
    return closing.eventually(() -> vertx.executeBlocking(() -> {
      audit.close();
      return null;
    }));
  }

  /** Runs changes strictly one after another, each after the previous one's audit write. */
  private <T> Future<T> enqueue(Supplier<Future<T>> change) {
    Future<T> result = queue.transform(ignored -> change.get());
    queue = result;
    return result;
  }

  private void onCommand(Message<JsonObject> message) {
    JsonObject command = message.body();
    String action = command.getString("action", "");
    Future<JsonObject> result = switch (action) {
      case "activate", "rollback" -> enqueue(() -> operatorChange(command));
      case "status" -> Future.succeededFuture(status());
      case "audit" -> vertx.executeBlocking(() -> {
        JsonArray entries = new JsonArray();
        audit.tail(Math.max(1, Math.min(1_000, command.getInteger("limit", 100)))).forEach(entries::add);
        return new JsonObject().put("entries", entries);
      });
      default -> Future.failedFuture(new IllegalArgumentException("unknown action '" + action + "'"));
    };
    result.onSuccess(message::reply).onFailure(t -> message.fail(statusOf(t), t.getMessage()));
  }

  private Future<JsonObject> operatorChange(JsonObject command) {
    String action = command.getString("action");
    String operator = command.getString("operator");
    String reason = command.getString("reason");
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("a reason is required"));
    }
    ScopeKey scope;
    RouteTable.Proposal proposal;
    try {
      scope = new ScopeKey(command.getString("environment", environment), text(command, "tenant_or_cohort"),
          text(command, "model_alias"));
      long expected = command.getLong("expected_revision", -1L);
      proposal = "activate".equals(action)
          ? routes.proposeActivation(scope, text(command, "route_version"), expected, clock.instant())
          : routes.proposeRollback(scope, expected, clock.instant());
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    String from = proposal.base().pointers().get(scope);
    String to = proposal.next().pointers().get(scope);
    JsonObject entry = entry(action, proposal).put("operator", operator).put("reason", reason)
        .put("scope", scope.toJson()).put("from", from).put("to", to);
    return commit(proposal, entry).map(v -> {
      LOG.warn("Scope {} moved from {} to {} by {} ({}): {}", scope, from, to, operator, action, reason);
      vertx.eventBus().publish(RouteEvents.ADDRESS, entry.copy().put("type", "changed").put("node", nodeId));
      return entry;
    });
  }

  private Future<Void> onFileText(String text) {
    if (text == null || Objects.equals(text, appliedText)) {
      if (text != null) {
        // Back to what runs: a later repeat of an earlier bad edit must be reported again.
        lastRejection = null;
      }
      return Future.succeededFuture();
    }
    RouteTable.Proposal proposal;
    try {
      RouteMap map = NodeConfig.parseRoutes(routesFile, text, providers);
      proposal = routes.proposeFile(map, routesFile, clock.instant());
    } catch (ConfigException e) {
      reject(e);
      return Future.succeededFuture();
    }
    JsonObject entry = entry("file", proposal).put("operator", "file:" + routesFile)
        .put("versions", proposal.next().map().versions().size());
    return commit(proposal, entry).onSuccess(v -> {
      appliedText = text;
      lastRejection = null;
      RouteSnapshot applied = proposal.next();
      LOG.info("Route map applied from {}: {} versions, pointers {}", routesFile, applied.map().versions().size(),
          applied.pointers().pointersJson().encode());
      vertx.eventBus().publish(RouteEvents.ADDRESS, RouteEvents.applied(applied, nodeId, clock.instant()));
      proposal.reversions().forEach(this::reportExpiry);
    }).otherwiseEmpty().mapEmpty();
  }

  private void reject(ConfigException e) {
    if (!e.getMessage().equals(lastRejection)) {
      // Once per distinct error: the watcher rescans every period and an operator needs one clear line.
      LOG.warn("Route map edit rejected, running map unchanged: {}", e.getMessage());
      metrics.configRejected();
      vertx.eventBus().publish(RouteEvents.ADDRESS,
          RouteEvents.rejected(e.file(), e.path(), e.reason(), nodeId, clock.instant()));
    }
    lastRejection = e.getMessage();
  }

  private Future<Void> expire() {
    RouteTable.Proposal proposal = routes.proposeExpiry(clock.instant());
    if (proposal == null) {
      return Future.succeededFuture();
    }
    JsonArray reversions = new JsonArray();
    proposal.reversions().forEach(r -> reversions.add(r.toJson()));
    JsonObject entry = entry("expired", proposal).put("operator", "expiry").put("reversions", reversions);
    return commit(proposal, entry).onSuccess(v -> proposal.reversions().forEach(this::reportExpiry))
        .otherwiseEmpty().mapEmpty();
  }

  private void reportExpiry(Reversion reversion) {
    LOG.warn("Route version {} for scope {} expired at {}: reverted to {} by itself", reversion.from(),
        reversion.scope(), reversion.expiresAt(), reversion.to());
    vertx.eventBus().publish(RouteEvents.ADDRESS, RouteEvents.expired(reversion, nodeId, clock.instant()));
  }

  /** Audit first (forced to disk), then the compare-and-set: an unaudited change never applies. */
  private Future<Void> commit(RouteTable.Proposal proposal, JsonObject entry) {
    return vertx.executeBlocking(() -> {
      audit.append(entry);
      return null;
    }).recover(e -> {
      LOG.error("Audit log {} not writable, change refused: {}", audit.file(), e.toString());
      return Future.failedFuture(new IllegalStateException("the audit log could not be written; nothing changed"));
    }).compose(v -> routes.commit(proposal) ? Future.<Void>succeededFuture()
        : Future.failedFuture(new RouteTable.StaleRevisionException(proposal.base().pointers().revision(),
            routes.revision())));
  }

  private JsonObject entry(String action, RouteTable.Proposal proposal) {
    return new JsonObject()
        .put("time", clock.instant().toString())
        .put("node", nodeId)
        .put("action", action)
        .put("revision", proposal.next().pointers().revision())
        .put("pointers", proposal.next().pointers().pointersJson())
        .put("file_pointers", proposal.next().map().active().pointersJson());
  }

  private JsonObject status() {
    RouteSnapshot s = routes.current();
    return new JsonObject()
        .put("node", nodeId)
        .put("environment", environment)
        .put("revision", s.pointers().revision())
        .put("source", s.source())
        .put("applied_at", s.appliedAt().toString())
        .put("pointers", s.pointers().pointersJson())
        .put("last_rejection", lastRejection)
        .put("route_map", s.map().toJson());
  }

  private static String text(JsonObject json, String key) {
    if (!(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("'" + key + "' is required");
    }
    return s;
  }

  private static int statusOf(Throwable t) {
    if (t instanceof RouteTable.StaleRevisionException) {
      return 409;
    }
    return t instanceof IllegalArgumentException ? 400 : 500;
  }
}
