package io.turnout.controlplane.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.turnout.controlplane.CommandRefusal;

/** The route commands' one JSON mapping: today's senders' JSON reads, every record round-trips, bad input names its field. */
class RouteCommandTest {

  private static final RouteCommand.ScopeRef SCOPE = new RouteCommand.ScopeRef(null, "*", "chat");

  private static JsonObject scope() {
    return new JsonObject().put("tenant_or_cohort", "*").put("model_alias", "chat");
  }

  @Test
  void aDrillsActivation_asDrillsSendItToday_reads() {
    // drills/DrillVerticle#move: scope.toJson() + action, route_version, operator, reason, force
    JsonObject drill = new ScopeKey("production", "internal", "chat").toJson().put("action", "activate")
        .put("route_version", "chat-v2").put("operator", "alice").put("reason", "drill d1: ramp").put("force", true);

    RouteCommand.Activate read = assertInstanceOf(RouteCommand.Activate.class, RouteCommand.fromJson(drill));

    assertEquals(new ScopeKey("production", "internal", "chat"), read.scope().in("staging"));
    assertEquals("chat-v2", read.routeVersion());
    assertEquals("alice", read.operator());
    assertTrue(read.force());
    assertEquals(-1, read.expectedRevision(), "no expected revision: no check");
    assertEquals(drill, read.toJson(), "the same JSON back");
  }

  @Test
  void anAdminBody_withoutEnvironment_isInTheNodesEnvironment() {
    JsonObject body = scope().put("action", "rollback").put("reason", "errors").put("operator", "bob")
        .put("expected_revision", 7).put("unknown_extra", "ignored");

    RouteCommand.Rollback read = assertInstanceOf(RouteCommand.Rollback.class, RouteCommand.fromJson(body));

    assertEquals(new ScopeKey("production", "*", "chat"), read.scope().in("production"));
    assertEquals(7, read.expectedRevision());
    assertEquals("bob", read.operator());
  }

  static Stream<RouteCommand> everyCommand() {
    JsonObject verdict = new JsonObject().put("gate", "errors").put("state", "breach");
    return Stream.of(
        new RouteCommand.Activate(SCOPE, "chat-v2", "alice", "go", 3, false),
        new RouteCommand.Activate(new RouteCommand.ScopeRef("staging", "team-a", "chat"), "chat-v2", null, "go", -1,
            true),
        new RouteCommand.Rollback(SCOPE, "alice", "errors", -1),
        new RouteCommand.Resume(SCOPE, "alice", "fixed", 0.25, 4),
        new RouteCommand.Resume(SCOPE, "alice", "fixed", null, -1),
        new RouteCommand.AutoFallbackOverride(SCOPE, "alice", "accepted", true, -1),
        new RouteCommand.GateChange(SCOPE, "errors", "stop_expansion", "chat-v2", 5, "breach",
            new ScopeControl(5, 0.0, true, null, "gate:errors"), null, verdict),
        new RouteCommand.GateChange(SCOPE, "errors", "rollback", "chat-v2", 5, "breach", null, "chat-v1", verdict),
        new RouteCommand.Status(),
        new RouteCommand.Audit(10, false));
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void everyCommand_roundTripsThroughItsJson(RouteCommand command) {
    JsonObject json = command.toJson();

    assertEquals(command.action(), json.getString("action"));
    assertEquals(command, RouteCommand.fromJson(json));
    assertEquals(command, RouteCommand.fromJson(new JsonObject(json.encode())), "also after the wire");
  }

  static Stream<Arguments> badCommands() {
    return Stream.of(
        Arguments.of("no action", new JsonObject(), "action"),
        Arguments.of("unknown action", scope().put("action", "delete"), "action"),
        Arguments.of("no reason", scope().put("action", "activate").put("route_version", "v2"), "reason"),
        Arguments.of("blank reason", scope().put("action", "rollback").put("reason", " "), "reason"),
        Arguments.of("no route_version", scope().put("action", "activate").put("reason", "r"), "route_version"),
        Arguments.of("route_version a number", scope().put("action", "activate").put("reason", "r")
            .put("route_version", 2), "route_version"),
        Arguments.of("no model_alias", new JsonObject().put("action", "rollback").put("reason", "r")
            .put("tenant_or_cohort", "*"), "model_alias"),
        Arguments.of("no tenant_or_cohort", new JsonObject().put("action", "rollback").put("reason", "r")
            .put("model_alias", "chat"), "tenant_or_cohort"),
        Arguments.of("environment a number", scope().put("action", "rollback").put("reason", "r")
            .put("environment", 1), "environment"),
        Arguments.of("expected_revision text", scope().put("action", "rollback").put("reason", "r")
            .put("expected_revision", "7"), "expected_revision"),
        Arguments.of("expected_revision fractional", scope().put("action", "rollback").put("reason", "r")
            .put("expected_revision", 7.5), "expected_revision"),
        Arguments.of("force a string", scope().put("action", "activate").put("reason", "r")
            .put("route_version", "v2").put("force", "yes"), "force"),
        Arguments.of("canary_share above 1", scope().put("action", "resume").put("reason", "r")
            .put("canary_share", 1.5), "canary_share"),
        Arguments.of("enabled missing", scope().put("action", "auto_fallback").put("reason", "r"), "enabled"),
        Arguments.of("enabled a string", scope().put("action", "auto_fallback").put("reason", "r")
            .put("enabled", "true"), "enabled"),
        Arguments.of("gate without control or rollback_to", scope().put("action", "gate").put("gate", "g")
            .put("decision", "stop").put("expected_revision", 1), "control"),
        Arguments.of("gate without expected_revision", scope().put("action", "gate").put("gate", "g")
            .put("decision", "rollback").put("rollback_to", "v1"), "expected_revision"),
        Arguments.of("audit limit text", new JsonObject().put("action", "audit").put("limit", "ten"), "limit"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCommands")
  void badInput_isRefusedWith400_namingTheField(String name, JsonObject json, String field) {
    CommandRefusal refusal = assertThrows(CommandRefusal.class, () -> RouteCommand.fromJson(json));

    assertEquals(400, refusal.status());
    assertEquals("invalid_request", refusal.code());
    assertEquals(field, refusal.field(), refusal.getMessage());
  }

  @Test
  void theHandlersFormerMessages_areKept() {
    JsonObject noReason = scope().put("action", "activate").put("route_version", "v2");
    JsonObject noVersion = scope().put("action", "activate").put("reason", "r");

    assertEquals("a reason is required", assertThrows(CommandRefusal.class,
        () -> RouteCommand.fromJson(noReason)).getMessage());
    assertEquals("'route_version' is required", assertThrows(CommandRefusal.class,
        () -> RouteCommand.fromJson(noVersion)).getMessage());
  }

  @Test
  void theAuditLimit_isClampedByTheHandler_notRefused() {
    assertEquals(List.of(1, 1_000, 100), List.of(new RouteCommand.Audit(0, false).clampedLimit(),
        new RouteCommand.Audit(5_000, false).clampedLimit(),
        ((RouteCommand.Audit) RouteCommand.fromJson(new JsonObject().put("action", "audit"))).clampedLimit()));
  }
}
