package io.turnout.controlplane.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Event translation, the generic and Slack payloads, and the signature. */
class PayloadsTest {

  static final JsonObject GATE_ACTION = new JsonObject().put("type", "gate_action").put("node", "n1")
      .put("time", "2026-12-04T01:00:00Z").put("action", "gate").put("operator", "gate:fallback_5xx")
      .put("decision", "rollback").put("revision", 7)
      .put("scope", new JsonObject().put("environment", "production").put("tenant_or_cohort", "*")
          .put("model_alias", "support-summary-v3"))
      .put("from", "support-canary-v2").put("to", "support-primary-v1").put("reason", "fallback 5xx above 2%")
      .put("verdict", new JsonObject().put("gate", "fallback_5xx").put("signal", "upstream_5xx_rate")
          .put("value", 0.08).put("threshold", 0.02).put("samples", 312).put("state", "breach"));

  @Test
  void gateAction_summarisesTheChangeWithItsNumbers() {
    Notification n = EventTranslator.route(GATE_ACTION);
    assertEquals(NotifyEvent.GATE_ACTION, n.event());
    assertEquals("production/*/support-summary-v3", n.scope());
    assertEquals("gate fallback_5xx rolled back production/*/support-summary-v3 from support-canary-v2 to "
        + "support-primary-v1 (upstream_5xx_rate 0.08 > 0.02 over 312 samples)", n.summary());
    JsonObject generic = Payloads.generic(n);
    assertEquals("gate_action", generic.getString("event"));
    assertEquals("2026-12-04T01:00:00Z", generic.getString("at"));
    assertEquals("n1", generic.getString("node"));
    assertEquals("production/*/support-summary-v3", generic.getString("scope"));
    assertEquals("rollback", generic.getJsonObject("details").getString("decision"));
    assertEquals(312, generic.getJsonObject("details").getJsonObject("verdict").getInteger("samples"));
    assertEquals(n.id(), generic.getString("id"));
  }

  @Test
  void slack_isTextAndBlocksWithTheSameLine() {
    JsonObject slack = Payloads.slack(EventTranslator.route(GATE_ACTION));
    assertEquals(":rotating_light: gate fallback_5xx rolled back production/*/support-summary-v3 from "
        + "support-canary-v2 to support-primary-v1 (upstream_5xx_rate 0.08 > 0.02 over 312 samples)",
        slack.getString("text"));
    JsonArray blocks = slack.getJsonArray("blocks");
    assertEquals("section", blocks.getJsonObject(0).getString("type"));
    assertEquals(slack.getString("text"), blocks.getJsonObject(0).getJsonObject("text").getString("text"));
    assertTrue(blocks.getJsonObject(1).encode().contains("gate_action"));
    assertEquals(2, slack.size(), "only text and blocks: " + slack.encode());
  }

  @Test
  void otherRouteEvents_notifyNothingButRefusals() {
    assertNull(EventTranslator.route(new JsonObject().put("type", "applied").put("node", "n1")));
    assertNull(EventTranslator.route(new JsonObject().put("type", "changed").put("node", "n1")));
    Notification refused = EventTranslator.route(new JsonObject().put("type", "rejected").put("node", "n1")
        .put("time", "2026-12-04T01:00:00Z").put("file", "/conf/routes.yaml").put("path", "routes[0].mode")
        .put("reason", "must be one of ..."));
    assertEquals(NotifyEvent.ROUTE_EDIT_REFUSED, refused.event());
    assertEquals("route file edit refused, the running map is unchanged: /conf/routes.yaml at routes[0].mode: "
        + "must be one of ...", refused.summary());
  }

  @Test
  void drillEvents_byStatus() {
    JsonObject base = new JsonObject().put("type", "drill").put("node", "n1").put("time", "2026-12-04T01:00:00Z")
        .put("id", "d1").put("scope", new JsonObject().put("environment", "production").put("tenant_or_cohort", "*")
            .put("model_alias", "chat"));
    assertEquals(NotifyEvent.DRILL_WAITING, EventTranslator.drill(base.copy().put("step", "probes")
        .put("status", "awaiting_approval")).event());
    Notification blocked = EventTranslator.drill(base.copy().put("step", "drain_check").put("status", "blocked")
        .put("detail", "in_flight FAILED (2 attempts)"));
    assertEquals(NotifyEvent.DRILL_BLOCKED, blocked.event());
    assertEquals("drill d1 on production/*/chat blocked at step drain_check: in_flight FAILED (2 attempts)",
        blocked.summary());
    assertEquals(NotifyEvent.DRILL_ABORTED, EventTranslator.drill(base.copy().put("step", "aborted")
        .put("status", "aborted")).event());
    assertEquals(NotifyEvent.DRILL_COMPLETE, EventTranslator.drill(base.copy().put("step", "complete")
        .put("status", "complete")).event());
    assertNull(EventTranslator.drill(base.copy().put("step", "canary").put("status", "running")));
    // without a scope (today's events carry none) the summary still reads
    assertNull(EventTranslator.drill(base.copy().put("status", "complete").put("step", "complete").putNull("scope"))
        .scope());
  }

  @Test
  void probeRuns_onlyFailuresNotify() {
    JsonObject run = new JsonObject().put("type", "probe_run").put("node", "n1").put("time", "2026-12-04T01:00:00Z")
        .put("run_id", "r1").put("route_version", "chat-v2").put("probes", 9);
    assertNull(EventTranslator.probeRun(run.copy().put("passed", true)));
    Notification failed = EventTranslator.probeRun(run.copy().put("passed", false)
        .put("failed", new JsonArray().add("primary/primary/auth=auth")));
    assertEquals("probe run r1 of route version chat-v2 FAILED: 1 of 9 probes failed (primary/primary/auth=auth)",
        failed.summary());
  }

  @Test
  void signature_isHmacSha256OfTheBody() {
    // RFC 4231, test case 2
    assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        Payloads.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    assertFalse(Payloads.signature("Jefe", "x".getBytes(StandardCharsets.UTF_8))
        .equals(Payloads.signature("Jefe2", "x".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void numbers_readLikeAPerson_wouldWriteThem() {
    assertEquals("312", EventTranslator.number(312L));
    assertEquals("0.08", EventTranslator.number(0.08));
    assertEquals("0.1235", EventTranslator.number(0.123456));
  }
}
