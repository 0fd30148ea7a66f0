package io.turnout.controlplane.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.ProviderKind;
import io.turnout.dataplane.provider.Usage;
import io.turnout.routes.Feature;
import io.turnout.routes.RouteRole;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The suite's requests and pass conditions, without Vert.x or a provider. */
class ProbeSuiteTest {

  private static final ProbeOptions OPTIONS = ProbeOptions.defaults(Path.of("conf"));
  private static final ProbeTarget TARGET = new ProbeTarget(RouteRole.FALLBACK, "cometapi", ProviderKind.OPENAI,
      "gpt-4o-mini", Set.of(), 30_000);
  private static final Buffer BODY = new JsonObject().put("id", "c1").put("object", "chat.completion")
      .put("choices", JsonArray.of(new JsonObject().put("index", 0).put("message", new JsonObject()
          .put("role", "assistant").put("content", "ok")).put("finish_reason", "stop"))).toBuffer();

  @Test
  void everyProbeIsPlanned_inOrder() {
    List<ProbeSpec> specs = ProbeSuite.specs(TARGET, OPTIONS);
    assertEquals(List.of(ProbeName.values()), specs.stream().map(ProbeSpec::name).toList());
    assertTrue(specs.stream().filter(ProbeSpec::invalidKey).map(ProbeSpec::name).toList()
        .equals(List.of(ProbeName.NEGATIVE_AUTH)));
    ProbeSpec timeout = specs.stream().filter(s -> s.name() == ProbeName.TIMEOUT).findFirst().orElseThrow();
    assertEquals(ProbeOptions.DEFAULT_TIMEOUT_PROBE_MS, timeout.budgetMs());
  }

  @Test
  void tokenCeiling_sendsTheCeilingAsMaxTokens_withALongPrompt() {
    JsonObject request = ProbeRequests.tokenCeiling(ProbePrompts.defaults(), 4_000);
    assertEquals(4_000, request.getInteger("max_tokens"));
    String prompt = request.getJsonArray("messages").getJsonObject(1).getString("content");
    assertTrue(prompt.length() >= 4_000, "about a quarter of the ceiling in tokens");
  }

  @Test
  void optionalFields_useEveryEnabledFeature() {
    ProbeRequests.Optional optional = ProbeRequests.optionalFields(ProbePrompts.defaults(), EnumSet.allOf(Feature.class));
    JsonObject r = optional.request();
    assertTrue(optional.stream());
    assertEquals("auto", r.getString("tool_choice"));
    assertEquals(1, r.getJsonArray("tools").size());
    assertEquals("json_schema", r.getJsonObject("response_format").getString("type"));
    assertEquals(7, r.getInteger("seed"));
    assertEquals(2, r.getInteger("n"));
    assertTrue(r.getBoolean("logprobs"));
    assertTrue(r.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals(List.of("tools", "tool_choice", "parallel_tool_calls", "response_format(json_schema)", "stop", "seed",
        "logprobs", "n", "image_url", "audio", "stream"), optional.sentFields());
  }

  @Test
  void optionalFields_toolChoiceNeedsTools_andJsonObjectWithoutSchema() {
    ProbeRequests.Optional optional = ProbeRequests.optionalFields(ProbePrompts.defaults(),
        EnumSet.of(Feature.TOOL_CHOICE, Feature.RESPONSE_FORMAT));
    assertFalse(optional.request().containsKey("tool_choice"));
    assertEquals("json_object", optional.request().getJsonObject("response_format").getString("type"));
    assertFalse(optional.stream());
  }

  @Test
  void invalidRequest_isShapedPerContract() {
    JsonObject openai = ProbeRequests.invalid(ProbePrompts.defaults(), ProviderKind.OPENAI);
    assertEquals(ProbeRequests.INVALID_ROLE, openai.getJsonArray("messages").getJsonObject(1).getString("role"));
    JsonObject anthropic = ProbeRequests.invalid(ProbePrompts.defaults(), ProviderKind.ANTHROPIC);
    assertEquals(1, anthropic.getJsonArray("messages").size());
  }

  @Test
  void invalidRequest_passesOnlyOnTheProvidersValidationError() {
    ProbeSpec spec = spec(ProbeName.INVALID_REQUEST);
    assertTrue(judge(spec, failure(ErrorClass.VALIDATION, 400)).passed());
    ProbeResult local = judge(spec, failure(ErrorClass.VALIDATION, 0));
    assertFalse(local.passed(), "refused by our codec: the provider's error parsing was not exercised");
    assertFalse(judge(spec, answered(Usage.provider(1, 1), "gpt-4o-mini")).passed());
    assertFalse(judge(spec, failure(ErrorClass.UPSTREAM_5XX, 500)).passed());
  }

  @Test
  void negativeAuth_passesOnAuthAfterExactlyOneAttempt() {
    ProbeSpec spec = spec(ProbeName.NEGATIVE_AUTH);
    ProbeResult passed = judge(spec, failure(ErrorClass.AUTH, 401));
    assertTrue(passed.passed());
    assertEquals("auth", passed.errorClass());
    ProbeOutcome twice = new ProbeOutcome(null, null, ProviderFailure.of(ErrorClass.AUTH, "x"), 3, 2, null);
    assertFalse(judge(spec, twice).passed());
    assertFalse(judge(spec, answered(Usage.NONE, null)).passed());
  }

  @Test
  void timeout_needsTheClassASettledAttemptAndAFreedConnection() {
    ProbeSpec spec = spec(ProbeName.TIMEOUT);
    ProbeOutcome next = answered(Usage.NONE, null);
    ProbeOutcome timedOut = new ProbeOutcome(null, null, ProviderFailure.of(ErrorClass.TIMEOUT, "t"), 6, 1, null);
    assertTrue(judge(spec, timedOut.withFollowUp(next)).passed());
    assertFalse(judge(spec, timedOut).passed(), "no follow-up: the slot was not shown free");
    ProbeOutcome late = new ProbeOutcome(null, null, ProviderFailure.of(ErrorClass.TIMEOUT, "t"),
        spec.budgetMs() + ProbeOptions.TIMEOUT_MARGIN_MS + 1, 1, null);
    assertFalse(judge(spec, late.withFollowUp(next)).passed());
    assertFalse(judge(spec, answered(Usage.NONE, null).withFollowUp(next)).passed(), "answered in time");
  }

  @Test
  void pinnedModel_acceptsTheResolvedDatedName_only() {
    ProbeSpec spec = spec(ProbeName.PINNED_MODEL);
    assertTrue(judge(spec, answered(Usage.NONE, "gpt-4o-mini")).passed());
    assertTrue(judge(spec, answered(Usage.NONE, "gpt-4o-mini-2024-07-18")).passed());
    assertTrue(judge(spec, answered(Usage.NONE, null)).passed());
    assertFalse(judge(spec, answered(Usage.NONE, "gpt-4o")).passed());
  }

  @Test
  void usageTelemetry_failsWithoutProviderUsage() {
    ProbeSpec spec = spec(ProbeName.USAGE_TELEMETRY);
    assertTrue(judge(spec, answered(Usage.provider(10, 5), null)).passed());
    ProbeResult none = judge(spec, answered(Usage.NONE, null));
    assertFalse(none.passed());
    assertNull(none.errorClass());
    assertEquals("none", none.toJson().getJsonObject("usage").getString("usage_source"));
  }

  @Test
  void schemaParse_failsOnAMalformedAnswer() {
    ProbeSpec spec = spec(ProbeName.SCHEMA_PARSE);
    assertTrue(judge(spec, answered(Usage.NONE, null)).passed());
    ProbeResult malformed = judge(spec, failure(ErrorClass.MALFORMED_RESPONSE, 200));
    assertFalse(malformed.passed());
    assertEquals("malformed_response", malformed.errorClass());
  }

  @Test
  void evidence_passesOnlyWhenEveryProbePassed() {
    ProbeResult ok = judge(spec(ProbeName.SHORT), answered(Usage.NONE, null));
    ProbeResult bad = judge(spec(ProbeName.SHORT), failure(ErrorClass.AUTH, 401));
    assertTrue(ProbeEvidence.of("r", java.time.Instant.EPOCH, "v", "n", "o", List.of(ok)).passed());
    JsonObject json = ProbeEvidence.of("r", java.time.Instant.EPOCH, "v", "n", "o", List.of(ok, bad)).toJson();
    assertFalse(json.getBoolean("passed"));
    assertEquals(2, json.getJsonArray("probes").size());
    assertEquals("auth", json.getJsonArray("probes").getJsonObject(1).getString("error_class"));
  }

  @Test
  void options_rejectUnknownFieldsWithTheirPath() {
    JsonObject yaml = new JsonObject().put("required", false).put("prompts", new JsonObject().put("shorty", "x"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ProbeOptions.fromConfig(new ConfigNode("t.yaml", "probes", yaml), Path.of("conf")));
    assertTrue(e.getMessage().contains("probes.prompts.shorty"), e.getMessage());
    JsonObject even = new JsonObject().put("prompts", new JsonObject().put("multi_turn", JsonArray.of("a", "b")));
    assertThrows(ConfigException.class,
        () -> ProbeOptions.fromConfig(new ConfigNode("t.yaml", "probes", even), Path.of("conf")));
    ProbeOptions read = ProbeOptions.fromConfig(new ConfigNode("t.yaml", "probes", new JsonObject()
        .put("evidence_dir", "ev").put("token_ceiling", 100)), Path.of("conf"));
    assertTrue(read.required());
    assertEquals(Path.of("conf/ev"), read.evidenceDir());
    assertEquals(100, read.tokenCeiling());
  }

  private static ProbeSpec spec(ProbeName name) {
    return ProbeSuite.specs(TARGET, OPTIONS).stream().filter(s -> s.name() == name).findFirst().orElseThrow();
  }

  private static ProbeResult judge(ProbeSpec spec, ProbeOutcome outcome) {
    return ProbeSuite.judge(spec, TARGET, outcome, OPTIONS);
  }

  private static ProbeOutcome answered(Usage usage, String model) {
    return new ProbeOutcome(new Completion(BODY, usage, model, "req-1"), null, null, 5, 1, null);
  }

  private static ProbeOutcome failure(ErrorClass errorClass, int status) {
    return new ProbeOutcome(null, null, new ProviderFailure(errorClass, "m", status, -1, "req-2", null, null), 5, 1,
        null);
  }
}
