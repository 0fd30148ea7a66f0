package io.turnout.controlplane.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.probes.ActivationGuard;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteTable;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.turnout.controlplane.CommandRefusal;

/**
 * The route command handler as a plain class: a real route table, the commit and the probe
 * evidence injected. Recovery never needs force (issue 13 item 15); refusals leave nothing behind.
 */
class RouteCommandHandlerTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final ScopeKey ANY = new ScopeKey("production", "*", "chat");
  private static final RouteCommand.ScopeRef SCOPE = RouteCommand.ScopeRef.of(ANY);
  private static final RouteCommand.ScopeRef TEAM = new RouteCommand.ScopeRef(null, "team-a", "chat");

  /**
   * chat-v3 serves, its chain is v3 -> v2 -> v1 (a baseline); the alias's rollback_target chat-safe is on no
   * chain and no baseline; chat-v4 is a forward move.
   */
  static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: m1, fallback: m2}, rollback_target: chat-safe}
      routes:
        - {route_version: chat-v1, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 1000, rollback_route_version: chat-v1, owner: o}
        - {route_version: chat-safe, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 2000, rollback_route_version: chat-v1, owner: o}
        - {route_version: chat-v2, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 3000, rollback_route_version: chat-v1, owner: o}
        - {route_version: chat-v3, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 4000, rollback_route_version: chat-v2, owner: o}
        - {route_version: chat-v4, environment: production, tenant_or_cohort: "*", model_alias: chat,
           mode: primary_only, primary_provider: primary, timeout_ms: 5000, rollback_route_version: chat-v3, owner: o}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v3}
      """;

  private final RouteMap map = RouteMap.parse("routes.yaml", ROUTES, Set.of("primary", "fallback"), Instant.EPOCH);
  private final RouteTable routes = RouteTable.initial(map, map.active(), "routes.yaml", NOW).table();
  private final List<JsonObject> committed = new ArrayList<>();
  private final List<JsonObject> events = new ArrayList<>();
  private final List<List<String>> checked = new ArrayList<>();
  private RouteCommit commit = (proposal, entry, text) -> {
    committed.add(entry);
    routes.adopt(proposal.next());
    return Future.succeededFuture();
  };
  /** probes.required, and no version has a passed run. */
  private final RouteProbeGuard noEvidence = new RouteProbeGuard(true, versions -> {
    checked.add(versions);
    return Future.succeededFuture(new ActivationGuard.Decision(new JsonObject(),
        versions.stream().map(v -> "route version " + v + " has no probe run").toList()));
  });

  private final ScopeBreaches breaches = new ScopeBreaches();

  private RouteCommandHandler handler() {
    return new RouteCommandHandler(routes, "production", "n1", (p, e, t) -> commit.commit(p, e, t), noEvidence,
        events::add, new RouteCommandHandler.Sources(limit -> Future.succeededFuture(List.of()),
            limit -> Future.succeededFuture(new JsonObject()), () -> Future.succeededFuture(new JsonObject()), status -> status.put("last_rejection", null)), breaches);
  }

  private JsonObject handled(RouteCommand command) {
    Future<JsonObject> result = handler().handle(command, NOW);
    assertTrue(result.succeeded(), () -> String.valueOf(result.cause()));
    return result.result();
  }

  private CommandRefusal refused(RouteCommand command) {
    Future<JsonObject> result = handler().handle(command, NOW);
    assertTrue(result.failed(), () -> "expected a refusal, got " + result.result());
    return (CommandRefusal) result.cause();
  }

  private void freeze() {
    handled(new RouteCommand.GateChange(SCOPE, "errors", "stop_expansion", "chat-v3", routes.revision(), "breach",
        new ScopeControl(routes.revision(), null, true, null, "gate:errors"), null, new JsonObject()));
    assertTrue(routes.current().pointers().control(ANY).frozen());
  }

  @Test
  void anActivation_isCommittedWithItsEntry_andAnnounced() {
    JsonObject entry = handled(new RouteCommand.Activate(SCOPE, "chat-v2", "alice", "why", -1, false));

    assertEquals("chat-v3", entry.getString("from"));
    assertEquals("chat-v2", entry.getString("to"));
    assertEquals("alice", entry.getString("operator"));
    assertEquals(List.of(entry), committed);
    assertEquals("changed", events.get(0).getString("type"));
    assertEquals("chat-v2", routes.current().pointers().get(ANY));
  }

  @Test
  void aForwardActivation_withoutProbeEvidence_isRefusedNamingRouteVersion() {
    CommandRefusal refusal = refused(new RouteCommand.Activate(SCOPE, "chat-v4", "alice", "go", -1, false));

    assertEquals(400, refusal.status());
    assertEquals("probe_evidence_missing", refusal.code());
    assertEquals("route_version", refusal.field());
    assertTrue(refusal.getMessage().contains("chat-v4"), refusal.getMessage());
    assertEquals(List.of(), committed, "nothing committed");
    assertEquals("chat-v3", routes.current().pointers().get(ANY));
  }

  @Test
  void movesToTheRollbackChain_theAliasTarget_orABaseline_areRecoveries_neverGuarded_evenFrozen() {
    freeze();
    checked.clear();

    // the alias's rollback_target: on no chain, no baseline; no evidence, frozen, not forced
    assertEquals("chat-safe", handled(new RouteCommand.Activate(SCOPE, "chat-safe", "alice", "r", -1, false))
        .getString("to"));
    // a baseline
    assertEquals("chat-v1", handled(new RouteCommand.Activate(SCOPE, "chat-v1", "alice", "r", -1, false))
        .getString("to"));
    assertEquals(List.of(List.of(), List.of()), checked, "no probe evidence looked for");
  }

  @Test
  void aForwardMove_onAFrozenScope_stillNeedsForce() {
    freeze();
    CommandRefusal refusal = refused(new RouteCommand.Activate(SCOPE, "chat-v4", "alice", "go", -1, false));

    assertEquals(400, refusal.status());
    assertTrue(refusal.getMessage().contains("frozen"), refusal.getMessage());
  }

  @Test
  void aRollback_onAScopeWithoutAPointer_goesToTheAliasRollbackTarget() {
    JsonObject entry = handled(new RouteCommand.Rollback(TEAM, "alice", "team-a misbehaves", -1));

    assertNull(entry.getString("from"));
    assertEquals("chat-safe", entry.getString("to"));
    assertEquals("chat-safe", routes.current().pointers().get(new ScopeKey("production", "team-a", "chat")));
  }

  @Test
  void aStaleExpectedRevision_is409_andNothingIsCommitted() {
    CommandRefusal refusal = refused(new RouteCommand.Activate(SCOPE, "chat-v2", "alice", "r", routes.revision() + 5,
        false));

    assertEquals(409, refusal.status());
    assertEquals("stale_revision", refusal.code());
    assertEquals("expected_revision", refusal.field());
    assertEquals(List.of(), committed);
  }

  @Test
  void anUnknownVersionOrAlias_is400_namingTheField() {
    assertEquals("route_version", refused(new RouteCommand.Activate(SCOPE, "chat-v9", "a", "r", -1, false)).field());
    assertEquals("model_alias", refused(new RouteCommand.Rollback(new RouteCommand.ScopeRef(null, "*", "nope"), "a",
        "r", -1)).field());
    assertEquals(List.of(), committed);
  }

  @Test
  void resumingAScopeNothingHolds_isRefused() {
    CommandRefusal refusal = refused(new RouteCommand.Resume(SCOPE, "alice", "r", null, -1));

    assertEquals(400, refusal.status());
    assertTrue(refusal.getMessage().contains("neither frozen nor paused"), refusal.getMessage());
  }

  @Test
  void aLostCompareAndSet_is409_anUnwrittenAudit500() {
    commit = (p, e, t) -> Future.failedFuture(new RouteTable.StaleRevisionException(1, 2));
    assertEquals(409, refused(new RouteCommand.Activate(SCOPE, "chat-v2", "a", "r", routes.revision(), false))
        .status());
    // without expected_revision it retries, and a state that keeps moving still ends in a 409
    assertEquals(409, refused(new RouteCommand.Activate(SCOPE, "chat-v2", "a", "r", -1, false)).status());

    commit = (p, e, t) -> Future.failedFuture(new CommandRefusal(500, "audit_failed", "not written", null));
    CommandRefusal audit = refused(new RouteCommand.Activate(SCOPE, "chat-v2", "a", "r", -1, false));
    assertEquals("audit_failed", audit.code());
    assertEquals(List.of(), events, "a change that was not made is not announced");
  }

  @Test
  void status_carriesTheWatchersLastRejection() {
    JsonObject status = handled(new RouteCommand.Status());

    assertEquals(routes.revision(), status.getLong("revision"));
    assertTrue(status.containsKey("last_rejection"));
    assertEquals(5, status.getJsonObject("route_map").getJsonArray("routes").size());
  }

  @Test
  void aResume_cannotExpandAScopeItsGatesSeeBreaching_unlessForced_andStartsANewEpoch() {
    freeze();
    breaches.update(Set.of(ANY));

    // WHEN an operator lifts the freeze while the gate still breaches: refused, nothing changed
    CommandRefusal refusal = refused(new RouteCommand.Resume(SCOPE, "alice", "looks fine", null, -1));
    assertEquals(409, refusal.status());
    assertEquals("scope_breaching", refusal.code());
    assertEquals("force", refusal.field());
    assertTrue(routes.current().pointers().control(ANY).frozen(), "still frozen");

    // WHEN forced: the freeze is lifted, audited as forced, in a new evaluation epoch
    long before = routes.revision();
    JsonObject entry = handled(new RouteCommand.Resume(SCOPE, "alice", "accepted risk", null, -1, true));
    assertEquals(Boolean.TRUE, entry.getBoolean("forced"));
    assertFalse(routes.current().pointers().control(ANY).frozen());
    assertEquals(before + 1, routes.current().pointers().control(ANY).epoch());
  }

  @Test
  void aResume_ofAScopeNoGateBreaches_needsNoForce() {
    freeze();
    JsonObject entry = handled(new RouteCommand.Resume(SCOPE, "alice", "gate passed", null, -1));
    assertFalse(entry.containsKey("forced"));
    assertFalse(routes.current().pointers().control(ANY).frozen());
  }

  @Test
  void aResumeWithForce_roundTripsThroughItsJson() {
    RouteCommand.Resume forced = new RouteCommand.Resume(SCOPE, "alice", "r", 0.2, 4, true);
    assertEquals(forced, RouteCommand.fromJson(forced.toJson()));
  }

  @Test
  void aChangeWithoutExpectedRevision_retriesTheCompareAndSetItLost_onTheStateThatWon() {
    RouteCommit real = commit;
    int[] calls = {0};
    commit = (p, e, t) -> {
      if (calls[0]++ == 0) {
        // another member moved the scope first (and this member caught up, as the cluster state does)
        routes.adopt(routes.proposeActivation(ANY, "chat-v4", -1, NOW, true).next());
        return Future.failedFuture(new RouteTable.StaleRevisionException(1, 2));
      }
      return real.commit(p, e, t);
    };

    JsonObject entry = handled(new RouteCommand.Rollback(SCOPE, "alice", "back out", -1));

    assertEquals(2, calls[0], "made again after the loss");
    assertEquals("chat-v4", entry.getString("from"), "on the state that won");
    assertEquals("chat-v3", routes.current().pointers().get(ANY));
  }

  @Test
  void aGateChange_neverRetries() {
    int[] calls = {0};
    commit = (p, e, t) -> {
      calls[0]++;
      return Future.failedFuture(new RouteTable.StaleRevisionException(1, 2));
    };
    refused(new RouteCommand.GateChange(SCOPE, "errors", "stop_expansion", "chat-v3", routes.revision(), "breach",
        new ScopeControl(routes.revision(), null, true, null, "gate:errors"), null, new JsonObject()));
    assertEquals(1, calls[0]);
  }
}
