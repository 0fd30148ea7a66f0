package io.turnout.node;

import io.turnout.config.ConfigException;
import io.turnout.control.AuditLog;
import io.turnout.cluster.RouteStateStore;
import io.turnout.control.RouteCommands;
import io.turnout.routing.ActivePointers;
import io.turnout.observability.NodeMetrics;
import io.turnout.probes.ActivationGuard;
import io.turnout.probes.EvidenceStore;
import io.turnout.probes.ProbeOptions;
import io.turnout.provider.ProviderOptions;
import io.turnout.routing.Reversion;
import io.turnout.routing.RouteEvents;
import io.turnout.routing.RouteMap;
import io.turnout.routing.RouteSnapshot;
import io.turnout.routing.RouteTable;
import io.turnout.routing.ScopeControl;
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
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
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
 *
 * <p>With {@code probes.required}, an operator's activation and a file edit that moves a pointer
 * forward need a passed latest probe run of the target version and of its rollback version
 * ({@link ActivationGuard}); an operator may force an activation, audited with the evidence it
 * lacked. Rollbacks, gate actions and expiry are never guarded.
 */
public final class RouteControlVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RouteControlVerticle.class);
  private static final String RAW_KEY = "text";
  /** Published (cluster-wide) when a member changed the shared route state: {@code {revision, node}}. */
  public static final String STATE_ADDRESS = "turnout.route.state";
  /** Published when a member applies a revision: {@code {node, revision}}. */
  public static final String MEMBER_APPLIED_ADDRESS = "turnout.route.member.applied";

  private final RouteTable routes;
  private final RoutingOptions options;
  private final String routesFile;
  private final Map<String, ProviderOptions> providers;
  private final io.turnout.policy.DataPolicy dataPolicy;
  private final String environment;
  private final AuditLog audit;
  private final String nodeId;
  private final Clock clock;
  private final NodeMetrics metrics;
  private final ProbeOptions probes;
  private RouteStateStore store;
  private ActivationGuard guard;
  private ConfigRetriever retriever;
  /** The local route map file's text last applied: what a file change is compared with. */
  private String appliedText;
  /** The route map text in force (the cluster's, which may come from another member's file). */
  private String routesText;
  /** The shared state text this member applied last: the expected value of its next compare-and-set. */
  private String stateText;
  private String lastRejection;
  private Future<?> queue = Future.succeededFuture();

  public RouteControlVerticle(RouteTable routes, NodeConfig config, AuditLog audit, String nodeId, Clock clock,
      NodeMetrics metrics) {
    this.routes = routes;
    this.options = config.routing();
    this.routesFile = config.confDir().resolve(options.file()).toString();
    this.providers = config.providers();
    this.dataPolicy = config.dataPolicy();
    this.environment = config.environment();
    this.appliedText = config.routesText();
    this.routesText = config.routesText();
    this.audit = audit;
    this.nodeId = nodeId;
    this.clock = clock;
    this.metrics = metrics;
    this.probes = config.probes();
  }

  @Override
  public Future<?> start() {
    store = new RouteStateStore(vertx, nodeId);
    guard = new ActivationGuard(new EvidenceStore(vertx, nodeId, probes.evidenceDir()));
    vertx.setPeriodic(options.expiryCheckMs(), id -> {
      enqueue(this::expire);
      // Renews this member's acknowledgement, so a dead member's expires, and counts the living.
      store.acknowledge(nodeId, routes.revision(), clock.instant().toString(), memberTtlMillis())
          .compose(v -> store.members())
          .onSuccess(members -> metrics.clusterMembers(members.size()));
    });
    Future<?> commands = vertx.eventBus().<JsonObject>localConsumer(RouteCommands.ADDRESS, this::onCommand)
        .completion();
    // Another member changed the shared state: apply it here too.
    Future<?> changes = vertx.eventBus().<JsonObject>consumer(STATE_ADDRESS, m -> enqueue(this::sync)).completion();
    Future<?> joined = Future.all(commands, changes).compose(v -> enqueue(this::join));
    if (!options.watch()) {
      return joined;
    }
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("raw")
        .setConfig(new JsonObject().put("path", routesFile).put("raw.key", RAW_KEY));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false)
        .setScanPeriod(options.scanPeriodMs()).addStore(store));
    retriever.listen(change -> enqueue(() -> onFileText(change.getNewConfiguration().getString(RAW_KEY))));
    // The file may have changed between the node's load and this first read.
    Future<?> watching = joined.compose(v -> retriever.getConfig())
        .onSuccess(json -> enqueue(() -> onFileText(json.getString(RAW_KEY)))).otherwiseEmpty();
    return Future.all(joined, watching);
  }

  @Override
  public Future<?> stop() {
    Future<?> closing = (retriever == null ? Future.succeededFuture() : retriever.close())
        .eventually(() -> store.forget(nodeId).otherwiseEmpty());
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
      case "resume" -> enqueue(() -> operatorResume(command));
      case "auto_fallback" -> enqueue(() -> operatorAutoFallback(command));
      case "gate" -> enqueue(() -> gateChange(command));
      case "status" -> status();
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
    boolean forced = Boolean.TRUE.equals(command.getValue("force"));
    ScopeKey scope;
    RouteTable.Proposal proposal;
    try {
      scope = scopeOf(command);
      long expected = command.getLong("expected_revision", -1L);
      proposal = "activate".equals(action)
          ? routes.proposeActivation(scope, text(command, "route_version"), expected, clock.instant(), forced)
          : routes.proposeRollback(scope, expected, clock.instant());
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    String from = proposal.base().pointers().get(scope);
    String to = proposal.next().pointers().get(scope);
    JsonObject entry = entry(action, proposal).put("operator", operator).put("reason", reason)
        .put("scope", scope.toJson()).put("from", from).put("to", to);
    if (forced) {
      entry.put("forced", true);
    }
    if (command.getString("drill") != null) {
      // Counted as a drill's change (turnout_route_changes_total{source="drill"}).
      entry.put("drill", command.getString("drill"));
    }
    Future<JsonObject> evidence = "activate".equals(action) ? probeGuard(scope, proposal, forced)
        : Future.succeededFuture();
    return evidence.compose(consulted -> {
      if (consulted != null) {
        entry.put("probe_evidence", consulted);
      }
      return commit(proposal, entry, routesText);
    }).map(v -> {
      publishAndLog(entry.copy().put("type", "changed").put("node", nodeId));
      return entry;
    });
  }

  /**
   * The activation guard for an operator's activation: the evidence it consulted
   * ({@code {version: run_id|null}}), or null when probes are not required; fails (400) naming the
   * versions without a passed latest run, unless forced.
   */
  private Future<JsonObject> probeGuard(ScopeKey scope, RouteTable.Proposal proposal, boolean forced) {
    if (!probes.required()) {
      return Future.succeededFuture();
    }
    String to = proposal.next().pointers().get(scope);
    List<String> versions = ActivationGuard.versionsToCheck(proposal.next().map(), proposal.base().pointers().get(scope),
        to);
    return guard.check(versions).compose(decision -> decision.allowed() || forced
        ? Future.succeededFuture(decision.evidence())
        : Future.failedFuture(new IllegalArgumentException(decision.refusal("activation of " + to + " on scope "
            + scope) + ". Run the probes (POST /admin/probes/run), or force the activation with a reason")));
  }

  /**
   * The activation guard for a route map file edit: the refusal naming the versions the edit moves
   * pointers to without a passed latest run, or null when the edit may apply.
   */
  private Future<String> fileProbeGuard(RouteTable.Proposal proposal) {
    if (!probes.required()) {
      return Future.succeededFuture();
    }
    Map<ScopeKey, String> before = proposal.base().pointers().byScope();
    LinkedHashSet<String> versions = new LinkedHashSet<>();
    proposal.next().pointers().byScope().forEach((scope, to) -> {
      if (!to.equals(before.get(scope))) {
        versions.addAll(ActivationGuard.versionsToCheck(proposal.next().map(), before.get(scope), to));
      }
    });
    return guard.check(List.copyOf(versions)).map(decision -> decision.allowed() ? null
        : decision.refusal("moving pointers by a file edit") + ". Run the probes (POST /admin/probes/run), then edit"
            + " the file again (a file edit cannot be forced)")
        // Without evidence to judge on, the edit waits rather than slipping through.
        .recover(unreadable -> Future.succeededFuture("moving pointers by a file edit refused: the probe evidence"
            + " could not be read (" + unreadable.getMessage() + ")"));
  }

  /** An operator lets gates act on a frozen or paused scope again (optionally setting its canary share). */
  private Future<JsonObject> operatorResume(JsonObject command) {
    String reason = command.getString("reason");
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("a reason is required"));
    }
    ScopeKey scope;
    RouteTable.Proposal proposal;
    try {
      scope = scopeOf(command);
      ScopeControl held = routes.current().pointers().control(scope);
      Object share = command.getValue("canary_share");
      if (share != null && !(share instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
        throw new IllegalArgumentException("'canary_share' must be a number from 0 to 1");
      }
      if (share == null && !held.frozen() && !held.paused()) {
        throw new IllegalArgumentException("scope " + scope + " is neither frozen nor paused");
      }
      Double nextShare = share == null ? held.canaryShare() : Double.valueOf(((Number) share).doubleValue());
      proposal = routes.proposeControl(scope, held.keepOverride(new ScopeControl(held.epoch(), nextShare, false, null,
          null)),
          command.getLong("expected_revision", -1L), clock.instant());
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    JsonObject entry = entry("resume", proposal).put("operator", command.getString("operator")).put("reason", reason)
        .put("scope", scope.toJson()).put("from", proposal.base().pointers().control(scope).toJson())
        .put("to", proposal.next().pointers().control(scope).toJson());
    return commit(proposal, entry, routesText).map(v -> {
      publishAndLog(entry.copy().put("type", "changed").put("node", nodeId));
      return entry;
    });
  }

  /**
   * An operator lets a scope's version fail over automatically without a clean drill on record
   * ({@code enabled: true}), or withdraws that ({@code false}); audited like every change.
   */
  private Future<JsonObject> operatorAutoFallback(JsonObject command) {
    String reason = command.getString("reason");
    String operator = command.getString("operator");
    if (reason == null || reason.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("a reason is required"));
    }
    if (!(command.getValue("enabled") instanceof Boolean enabled)) {
      return Future.failedFuture(new IllegalArgumentException("'enabled' must be true or false"));
    }
    ScopeKey scope;
    RouteTable.Proposal proposal;
    try {
      scope = scopeOf(command);
      ScopeControl held = routes.current().pointers().control(scope);
      proposal = routes.proposeControl(scope, held.withAutoFallbackOverride(enabled ? operator + ": " + reason : null),
          command.getLong("expected_revision", -1L), clock.instant());
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    JsonObject entry = entry("auto_fallback", proposal).put("operator", operator).put("reason", reason)
        .put("scope", scope.toJson()).put("enabled", enabled);
    return commit(proposal, entry, routesText).map(v -> {
      publishAndLog(entry.copy().put("type", "changed").put("node", nodeId));
      return entry;
    });
  }

  /**
   * A gate's change ({@link io.turnout.gates.GateDecision#toCommand()}): made only on the exact
   * revision the verdict was computed on, so of the members that decide it, one makes it.
   */
  private Future<JsonObject> gateChange(JsonObject command) {
    String gate = command.getString("gate");
    String decision = command.getString("decision");
    ScopeKey scope;
    RouteTable.Proposal proposal;
    try {
      scope = scopeOf(command);
      long expected = command.getLong("expected_revision");
      Instant now = clock.instant();
      proposal = command.containsKey("rollback_to")
          ? routes.proposeActivation(scope, text(command, "rollback_to"), expected, now, true)
          : routes.proposeControl(scope, ScopeControl.fromJson(command.getJsonObject("control")), expected, now);
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    JsonObject entry = entry("gate", proposal).put("operator", "gate:" + gate).put("reason", command.getString("reason"))
        .put("decision", decision).put("scope", scope.toJson()).put("from", proposal.base().pointers().get(scope))
        .put("to", proposal.next().pointers().get(scope))
        .put("control", proposal.next().pointers().control(scope).toJson())
        .put("verdict", command.getJsonObject("verdict"));
    return commit(proposal, entry, routesText).map(v -> {
      publishAndLog(entry.copy().put("type", "gate_action").put("node", nodeId));
      return entry;
    });
  }

  private ScopeKey scopeOf(JsonObject command) {
    return new ScopeKey(command.getString("environment", environment), text(command, "tenant_or_cohort"),
        text(command, "model_alias"));
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
      RouteMap map = NodeConfig.parseRoutes(routesFile, text, providers, dataPolicy);
      proposal = routes.proposeFile(map, routesFile, clock.instant());
    } catch (ConfigException e) {
      reject(e);
      return Future.succeededFuture();
    }
    return fileProbeGuard(proposal).compose(refusal -> {
      if (refusal != null) {
        reject(new ConfigException(routesFile, "active", refusal));
        return Future.succeededFuture();
      }
      return applyFile(proposal, text);
    });
  }

  private Future<Void> applyFile(RouteTable.Proposal proposal, String text) {
    JsonObject entry = entry("file", proposal).put("operator", "file:" + routesFile)
        .put("versions", proposal.next().map().versions().size());
    return commit(proposal, entry, text).onSuccess(v -> {
      appliedText = text;
      lastRejection = null;
      RouteSnapshot applied = proposal.next();
      publishAndLog(RouteEvents.applied(applied, nodeId, clock.instant()));
      proposal.reversions().forEach(this::reportExpiry);
    }).onFailure(lost -> {
      // Another member's change won the compare-and-set: this edit is the loser, and says so.
      appliedText = text;
      reject(new ConfigException(routesFile, "", "edit lost to route revision " + routes.revision()
          + " applied by another member first (" + lost.getMessage() + "); edit again on top of it"));
    }).otherwiseEmpty().mapEmpty();
  }

  private void reject(ConfigException e) {
    if (!e.getMessage().equals(lastRejection)) {
      // Once per distinct error: the watcher rescans every period and an operator needs one clear line.
      metrics.configRejected();
      publishAndLog(RouteEvents.rejected(e.file(), e.path(), e.reason(), nodeId, clock.instant()));
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
    return commit(proposal, entry, routesText).onSuccess(v -> proposal.reversions().forEach(this::reportExpiry))
        .otherwiseEmpty().mapEmpty();
  }

  private void reportExpiry(Reversion reversion) {
    publishAndLog(RouteEvents.expired(reversion, nodeId, clock.instant()));
  }

  /** Announces a route event and logs it with its fields as structured fields. */
  private void publishAndLog(JsonObject event) {
    io.turnout.observability.RouteEventLog.write(event);
    vertx.eventBus().publish(RouteEvents.ADDRESS, event);
  }

  /**
   * Makes a proposal the state every member serves: a compare-and-set on the shared state (a stale
   * proposal loses, and this member catches up), then the audit log, forced to disk, then this
   * member's own table; only then is the change acknowledged and announced to the other members.
   */
  private Future<Void> commit(RouteTable.Proposal proposal, JsonObject entry, String nextRoutesText) {
    long base = proposal.base().pointers().revision();
    String next = RouteStateStore.encode(proposal.next().pointers(), nextRoutesText, proposal.next().source(),
        nodeId, entry.getString("action"));
    return store.read().compose(current -> {
      if (current != null && (RouteStateStore.revisionOf(current) != base || !current.equals(stateText))) {
        return Future.failedFuture(new RouteTable.StaleRevisionException(base, RouteStateStore.revisionOf(current)));
      }
      return (current == null ? store.initialize(next).map(existing -> existing == null)
          : store.compareAndSet(current, next)).compose(won -> won ? Future.<Void>succeededFuture()
          : Future.failedFuture(new RouteTable.StaleRevisionException(base, base + 1)));
    }).recover(lost -> {
      if (lost instanceof RouteTable.StaleRevisionException) {
        // Another member changed the state first: take its state, then report the loss.
        return sync().transform(v -> Future.failedFuture(lost));
      }
      return Future.failedFuture(lost);
    }).compose(v -> vertx.<Void>executeBlocking(() -> {
      audit.append(entry);
      return null;
    }).transform(audited -> {
      // The shared state has moved already: this member serves it whatever happened to its log.
      routes.adopt(proposal.next());
      stateText = next;
      routesText = nextRoutesText;
      vertx.eventBus().publish(STATE_ADDRESS, new JsonObject().put("revision", proposal.next().pointers().revision())
          .put("node", nodeId));
      Future<Void> acknowledged = acknowledge();
      if (audited.succeeded()) {
        return acknowledged;
      }
      LOG.error("Audit log {} not writable: {}", audit.file(), audited.cause().toString());
      return acknowledged.transform(x -> Future.failedFuture(new IllegalStateException(
          "the change applied, but this member's audit log could not be written")));
    }));
  }

  /** On start: adopt the shared state if members already run, else make this member's the shared state. */
  private Future<Void> join() {
    String mine = RouteStateStore.encode(routes.current().pointers(), routesText, routes.current().source(), nodeId,
        "join");
    return store.initialize(mine).compose(existing -> {
      if (existing == null) {
        stateText = mine;
        return acknowledge();
      }
      LOG.info("Joining members that serve route revision {}", RouteStateStore.revisionOf(existing));
      return adopt(existing);
    });
  }

  /** Applies the shared state when another member moved it on. */
  private Future<Void> sync() {
    return store.read().compose(state -> state == null || state.equals(stateText)
        || RouteStateStore.revisionOf(state) <= routes.revision() && stateText != null
        ? Future.succeededFuture() : adopt(state));
  }

  private Future<Void> adopt(String state) {
    JsonObject json = new JsonObject(state);
    RouteSnapshot snapshot;
    try {
      RouteMap map = NodeConfig.parseRoutes(json.getString("routes_source"), json.getString("routes_text"), providers,
          dataPolicy);
      ActivePointers pointers = ActivePointers.fromJson(json);
      snapshot = new RouteSnapshot(map, pointers, json.getString("routes_source"), clock.instant());
    } catch (RuntimeException unusable) {
      // This member cannot serve what the others decided (e.g. a provider it does not configure): say so loudly.
      LOG.error("Route revision {} from node {} cannot be applied here, this member keeps revision {}: {}",
          json.getLong("revision"), json.getString("node"), routes.revision(), unusable.getMessage());
      return Future.succeededFuture();
    }
    JsonObject entry = new JsonObject().put("time", clock.instant().toString()).put("node", nodeId)
        .put("action", "adopted").put("operator", "node:" + json.getString("node"))
        .put("revision", snapshot.pointers().revision()).put("pointers", snapshot.pointers().pointersJson())
        .put("file_pointers", snapshot.map().active().pointersJson());
    return vertx.executeBlocking(() -> {
      audit.append(entry);
      return null;
    }).otherwise(e -> {
      LOG.error("Audit log {} not writable: {}", audit.file(), e.toString());
      return null;
    }).compose(v -> {
      routes.adopt(snapshot);
      stateText = state;
      routesText = json.getString("routes_text");
      LOG.info("Route revision {} from node {} applied", snapshot.pointers().revision(), json.getString("node"));
      vertx.eventBus().publish(RouteEvents.ADDRESS, RouteEvents.applied(snapshot, nodeId, clock.instant())
          .put("adopted_from", json.getString("node")));
      return acknowledge();
    });
  }

  private Future<Void> acknowledge() {
    long revision = routes.revision();
    vertx.eventBus().publish(MEMBER_APPLIED_ADDRESS, new JsonObject().put("node", nodeId).put("revision", revision));
    return store.acknowledge(nodeId, revision, clock.instant().toString(), memberTtlMillis()).otherwiseEmpty();
  }

  private long memberTtlMillis() {
    return Math.max(10_000, 5 * options.expiryCheckMs());
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

  private Future<JsonObject> status() {
    RouteSnapshot s = routes.current();
    JsonObject status = new JsonObject()
        .put("node", nodeId)
        .put("environment", environment)
        .put("revision", s.pointers().revision())
        .put("source", s.source())
        .put("applied_at", s.appliedAt().toString())
        .put("pointers", s.pointers().pointersJson())
        .put("last_rejection", lastRejection)
        .put("route_map", s.map().toJson());
    return store.members().map(members -> status.put("members", members)).otherwise(status);
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
