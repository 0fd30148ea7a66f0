package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.ProviderKeys;
import io.turnout.dataplane.provider.ProviderOptions;
import io.turnout.routes.RouteTable;
import io.turnout.routes.RouteVersion;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link ProbeCommands} on this node: runs a route version's probes from here, stores the
 * evidence and answers with it, or answers with the latest evidence. One instance per node.
 */
public final class ProbeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeVerticle.class);

  private final ProviderKeys keys;
  private final RouteTable routes;
  private final Map<String, ProviderOptions> providers;
  private final ProbeOptions options;
  private final String nodeId;
  private final Clock clock;
  private EvidenceStore store;
  private ProbeRunner runner;

  public ProbeVerticle(RouteTable routes, Map<String, ProviderOptions> providers, ProbeOptions options, String nodeId,
      Clock clock) {
    this(routes, providers, options, nodeId, clock, ProviderKeys.NONE);
  }

  /** @param keys the node's live provider credentials */
  public ProbeVerticle(RouteTable routes, Map<String, ProviderOptions> providers, ProbeOptions options, String nodeId,
      Clock clock, ProviderKeys keys) {
    this.keys = keys;
    this.routes = routes;
    this.providers = providers;
    this.options = options;
    this.nodeId = nodeId;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    store = new EvidenceStore(vertx, nodeId, options.evidenceDir());
    runner = new ProbeRunner(vertx, providers, options, keys);
    return vertx.eventBus().<JsonObject>localConsumer(ProbeCommands.ADDRESS, this::onCommand).completion();
  }

  private void onCommand(Message<JsonObject> message) {
    JsonObject command = message.body() == null ? new JsonObject() : message.body();
    String action = command.getString("action", "");
    Future<JsonObject> result = switch (action) {
      case "run" -> run(command);
      case "latest" -> latest(command);
      default -> Future.failedFuture(refused(400, "unknown action '" + action + "'"));
    };
    result.onSuccess(message::reply).onFailure(t -> message.fail(
        t instanceof ReplyException r ? r.failureCode() : 500, t.getMessage()));
  }

  private Future<JsonObject> run(JsonObject command) {
    String id = command.getValue("route_version") instanceof String s ? s : null;
    RouteVersion version = routes.current().map().version(id);
    if (version == null) {
      return Future.failedFuture(refused(400, id == null ? "'route_version' is required"
          : "unknown route version '" + id + "'"));
    }
    String operator = command.getValue("operator") instanceof String s && !s.isBlank() ? s : "unknown";
    String runId = UUID.randomUUID().toString().replace("-", "");
    LOG.info("Probe run {} of route version {} started by {}", runId, id, operator);
    Future<List<ProbeResult>> results;
    try {
      results = runner.run(version, runId);
    } catch (IllegalArgumentException unusable) {
      return Future.failedFuture(refused(400, unusable.getMessage()));
    }
    return results.compose(list -> {
      ProbeEvidence evidence = ProbeEvidence.of(runId, clock.instant(), id, nodeId, operator, list);
      String failed = list.stream().filter(r -> !r.passed())
          .map(r -> r.role() + "/" + r.provider() + "/" + r.name() + (r.errorClass() == null ? "" : "=" + r.errorClass()))
          .collect(Collectors.joining(", "));
      LOG.info("Probe run {} of route version {}: {} ({} probes{})", runId, id, evidence.passed() ? "passed" : "FAILED",
          list.size(), failed.isEmpty() ? "" : "; failed: " + failed);
      JsonObject json = evidence.toJson();
      return store.save(json).map(json).onSuccess(saved -> vertx.eventBus().publish(ProbeCommands.EVENTS,
          new JsonObject().put("type", "probe_run").put("node", nodeId).put("time", evidence.time().toString())
              .put("run_id", runId).put("route_version", id).put("operator", operator)
              .put("passed", evidence.passed()).put("probes", list.size())
              .put("failed", new io.vertx.core.json.JsonArray(failed.isEmpty() ? List.of()
                  : List.of(failed.split(", "))))));
    });
  }

  private Future<JsonObject> latest(JsonObject command) {
    if (!(command.getValue("route_version") instanceof String id) || id.isBlank()) {
      return Future.failedFuture(refused(400, "'route_version' is required"));
    }
    return store.latest(id).compose(evidence -> evidence != null ? Future.succeededFuture(evidence)
        : Future.failedFuture(refused(404, "route version '" + id + "' has no probe run")));
  }

  private static ReplyException refused(int status, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, message);
  }
}
