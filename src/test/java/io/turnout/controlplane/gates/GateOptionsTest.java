package io.turnout.controlplane.gates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.YamlFiles;
import io.turnout.routes.ScopeKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code gates} section: the runbook's rules by default, overrides by name, every error at its field path. */
class GateOptionsTest {

  private static GateOptions parse(String yaml) {
    String indented = "gates:\n" + yaml.stripIndent().lines().map(line -> "  " + line + "\n")
        .collect(java.util.stream.Collectors.joining());
    return GateOptions.fromConfig(ConfigNode.root("turnout.yaml", YamlFiles.parse("turnout.yaml", indented))
        .child("gates"), Set.of("primary", "cometapi"));
  }

  @Test
  void anEmptySectionIsTheRunbooksTable() {
    GateOptions options = parse("tick_ms: 1000\n");

    assertEquals(List.of("fallback_5xx", "fallback_timeouts", "fallback_malformed", "fallback_auth",
        "fallback_usage_budget", "fallback_acceptance", "fallback_usage_unknown"), options.rules().stream().map(GateRule::name).toList());
    assertEquals(1_000, options.tickMs());
    assertEquals(3_600_000, options.horizonMs());
    GateRule fiveXx = options.rules().get(0);
    assertEquals(0.02, fiveXx.above());
    assertEquals(300_000, fiveXx.windowMs());
    assertEquals(GateAction.STOP_EXPANSION, fiveXx.action());
    assertEquals("fallback", fiveXx.role());
  }

  @Test
  void aRuleNamedLikeADefaultReplacesIt_andOthersAreAdded() {
    GateOptions options = parse("""
          rules:
            - {name: fallback_5xx, signal: upstream_5xx_rate, above: 0.05, window_ms: 60000, action: rollback,
               dry_run: true}
            - {name: slow, signal: latency_p99_ms, role: any, above: 5000, action: reduce, scopes: ["production/*/*"]}
        """);

    assertEquals(8, options.rules().size());
    GateRule replaced = options.rules().get(0);
    assertEquals("fallback_5xx", replaced.name());
    assertEquals(GateAction.ROLLBACK, replaced.action());
    assertTrue(replaced.dryRun());
    GateRule slow = options.rules().get(7);
    assertTrue(slow.covers(new ScopeKey("production", "acme", "chat")));
    assertFalse(slow.covers(new ScopeKey("staging", "acme", "chat")));
  }

  @Test
  void withoutTheRunbookDefaults_onlyTheConfiguredRulesRun() {
    GateOptions options = parse("""
          runbook_defaults: false
          rules:
            - {name: any_malformed, signal: malformed_responses, role: any, action: rollback}
        """);

    assertEquals(List.of("any_malformed"), options.rules().stream().map(GateRule::name).toList());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rules: [{name: x, signal: teapot_rate, action: rollback}]|gates.rules[0].signal|unknown signal 'teapot_rate'",
      "rules: [{name: x, signal: attempts, action: panic}]|gates.rules[0].action|must be stop_expansion",
      "rules: [{name: x, signal: attempts, action: stop, role: both}]|gates.rules[0].role|must be primary",
      "rules: [{name: x, signal: attempts, action: stop, provider: nope}]|gates.rules[0].provider|unknown provider",
      "rules: [{name: x, signal: attempts, action: stop, min_samples: 0}]|gates.rules[0].min_samples|",
      "rules: [{name: x, signal: attempts, action: stop, colour: red}]|gates.rules[0].colour|unknown field",
      "rules: [{name: x, signal: attempts, action: stop, scopes: [production]}]|gates.rules[0].scopes[0]|environment/",
      "rules: [{name: x, signal: attempts, action: stop}, {name: x, signal: attempts, action: stop}]|gates.rules[1].name|duplicate",
      "bucket_ms: 60000\\nrules: [{name: x, signal: attempts, action: stop, window_ms: 30000}]|gates.rules[0].window_ms|at least gates.bucket_ms",
      "bucket_ms: 600000|gates.bucket_ms|must not exceed the window",
      "prices: {nope: {'*': {input_per_million_usd: 1}}}|gates.prices.nope|unknown provider",
      "prices: {cometapi: {m: {input_per_million_usd: 1, output_usd: 2}}}|gates.prices.cometapi.m.output_usd|unknown field",
      "tick: 5|gates.tick|unknown field",
  })
  void aBadSectionIsRejectedAtItsFieldPath(String yaml, String path, String reason) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml.replace("\\n", "\n") + "\n"));

    assertEquals(path, e.path(), e.getMessage());
    assertTrue(reason == null || e.reason().contains(reason), e.getMessage());
  }
}
