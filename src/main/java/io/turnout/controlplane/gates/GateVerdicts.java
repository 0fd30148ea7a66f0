package io.turnout.controlplane.gates;

import io.turnout.dataplane.observability.NodeMetrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this member's gates last said, and what they did: the latest verdict per gate and scope
 * (metered every tick, logged and published only when it changes) and the latest gate actions
 * seen cluster-wide, for {@code GET /admin/gates}. Touched only on the gate verticle's context.
 */
final class GateVerdicts {

  private static final Logger LOG = LoggerFactory.getLogger(GateVerdicts.class);
  private static final int ACTIONS_KEPT = 100;

  private final String nodeId;
  private final NodeMetrics metrics;
  private final Consumer<JsonObject> publish;
  private final io.turnout.controlplane.routes.ScopeBreaches breaches;
  private final Map<String, Verdict> latest = new HashMap<>();
  private final Deque<JsonObject> actions = new ArrayDeque<>();

  /**
   * @param publish announces a changed verdict (on {@link GateCommands#VERDICTS})
   * @param breaches where the scopes breaching now are left for route commands
   */
  GateVerdicts(String nodeId, NodeMetrics metrics, Consumer<JsonObject> publish,
      io.turnout.controlplane.routes.ScopeBreaches breaches) {
    this.breaches = breaches;
    this.nodeId = nodeId;
    this.metrics = metrics;
    this.publish = publish;
  }

  /** Takes one evaluation's verdicts; a verdict that changed state, epoch or version is logged and published. */
  void report(List<Verdict> verdicts) {
    Map<String, Verdict> seen = new HashMap<>();
    for (Verdict verdict : verdicts) {
      String key = verdict.rule().name() + " " + verdict.scope();
      seen.put(key, verdict);
      Verdict before = latest.put(key, verdict);
      metrics.gateVerdict(verdict.rule().name(), verdict.scope().toString(), verdict.state().ordinal(),
          verdict.value());
      if (before == null || before.state() != verdict.state() || before.epoch() != verdict.epoch()
          || !before.routeVersion().equals(verdict.routeVersion())) {
        if (verdict.state() == Verdict.State.BREACH) {
          LOG.warn("Gate breached{} on scope {}: {}", verdict.rule().dryRun() ? " (dry run)" : "", verdict.scope(),
              verdict.describe());
        } else if (before != null && before.state() == Verdict.State.BREACH) {
          LOG.info("Gate {} on scope {} is {} again: {}", verdict.rule().name(), verdict.scope(),
              verdict.state().wireName(), verdict.describe());
        }
        publish.accept(new JsonObject().put("type", "verdict").put("node", nodeId)
            .put("time", Instant.ofEpochMilli(verdict.atMs()).toString()).put("verdict", verdict.toJson()));
      }
    }
    latest.keySet().retainAll(seen.keySet());
    breaches.update(verdicts.stream().filter(v -> v.state() == Verdict.State.BREACH && !v.rule().dryRun())
        .map(Verdict::scope).collect(java.util.stream.Collectors.toSet()));
  }

  /** A gate action seen on the route events (made by any member). */
  void remember(JsonObject action) {
    actions.addFirst(action);
    while (actions.size() > ACTIONS_KEPT) {
      actions.removeLast();
    }
  }

  /** The latest verdicts, by scope then gate. */
  JsonArray verdictsJson() {
    List<Verdict> sorted = new ArrayList<>(latest.values());
    sorted.sort(Comparator.comparing((Verdict v) -> v.scope().toString()).thenComparing(v -> v.rule().name()));
    JsonArray verdicts = new JsonArray();
    sorted.forEach(v -> verdicts.add(v.toJson()));
    return verdicts;
  }

  /** The latest gate actions, newest first. */
  JsonArray actionsJson() {
    return new JsonArray(new ArrayList<>(actions));
  }
}
