package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing the {@code simulator} config section: pure, no Vert.x. */
class SimulatorOptionsTest {

  private static final SecretResolver SECRETS = new SecretResolver(Map.of("SIM_KEY", "sk-sim-env"), Path.of("."));

  private static SimulatorOptions parse(String json, SecretResolver secrets) {
    JsonObject root = new JsonObject(json);
    ConfigNode rootNode = ConfigNode.root("conf/turnout.yaml", root);
    SimulatorOptions options = SimulatorOptions.fromConfig(rootNode.child("simulator"), secrets);
    rootNode.finish();
    return options;
  }

  @Test
  void parsesProvidersKeysAndScripts(@TempDir Path dir) throws Exception {
    // GIVEN a key file and an env key
    Files.writeString(dir.resolve("sim-primary.key"), "sk-sim-file\n");
    SecretResolver secrets = new SecretResolver(Map.of("SIM_KEY", "sk-sim-env"), dir);

    // WHEN the section is parsed
    SimulatorOptions options = parse("""
        {"simulator": {"enabled": true, "host": "127.0.0.1", "port": 0, "providers": {
          "primary": {"contract": "openai", "api_key": "file:sim-primary.key", "script": {"latency_ms": 5}},
          "claude": {"contract": "anthropic", "api_key": "${SIM_KEY}"}}}}""", secrets);

    // THEN providers keep their order, keys are resolved and never printed
    assertTrue(options.isEnabled());
    assertEquals(0, options.getPort());
    assertEquals(java.util.List.of("primary", "claude"), java.util.List.copyOf(options.getProviders().keySet()));
    SimProviderConfig primary = options.getProviders().get("primary");
    assertEquals("sk-sim-file", primary.apiKey());
    assertEquals(LatencyModel.fixed(5), primary.script().latency());
    assertEquals(SimContractKind.ANTHROPIC, options.getProviders().get("claude").contract());
    assertEquals(SimScript.DEFAULT, options.getProviders().get("claude").script());
    assertFalse(primary.toString().contains("sk-sim"), primary.toString());
  }

  @Test
  void defaults() {
    SimulatorOptions options = parse("{}", SECRETS);
    assertEquals(SimulatorOptions.DEFAULT_ENABLED, options.isEnabled());
    assertEquals(SimulatorOptions.DEFAULT_HOST, options.getHost());
    assertEquals(SimulatorOptions.DEFAULT_PORT, options.getPort());
    assertTrue(options.getProviders().isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"enabled\": \"yes\"}                                        | simulator.enabled",
      "{\"port\": 70000}                                             | simulator.port",
      "{\"prot\": 1}                                                 | simulator.prot",
      "{\"enabled\": true}                                           | simulator.providers",
      "{\"providers\": {\"p\": {\"api_key\": \"${SIM_KEY}\"}}}        | simulator.providers.p.contract",
      "{\"providers\": {\"p\": {\"contract\": \"gemini\", \"api_key\": \"${SIM_KEY}\"}}} | simulator.providers.p.contract",
      "{\"providers\": {\"p\": {\"contract\": \"openai\"}}}           | simulator.providers.p.api_key",
      "{\"providers\": {\"p\": {\"contract\": \"openai\", \"api_key\": \"sk-literal\"}}} | simulator.providers.p.api_key",
      "{\"providers\": {\"p\": {\"contract\": \"openai\", \"api_key\": \"${NOPE}\"}}} | simulator.providers.p.api_key",
      "{\"providers\": {\"p\": {\"contract\": \"openai\", \"api_key\": \"${SIM_KEY}\", \"base\": 1}}} | simulator.providers.p.base",
      "{\"providers\": {\"_sim\": {\"contract\": \"openai\", \"api_key\": \"${SIM_KEY}\"}}} | simulator.providers._sim",
      "{\"providers\": {\"p\": {\"contract\": \"openai\", \"api_key\": \"${SIM_KEY}\", \"script\": {\"faults\": [{\"kind\": \"hang\", \"times\": 1, \"share\": 0.1}]}}}} | simulator.providers.p.script.faults[0]",
      "{\"providers\": {\"p\": {\"contract\": \"openai\", \"api_key\": \"${SIM_KEY}\", \"script\": {\"latency\": {\"distribution\": \"fixed\", \"ms\": 1, \"jitter\": 2}}}}} | simulator.providers.p.script.latency.jitter",
  })
  void errorsNameTheFieldPath(String section, String path) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("{\"simulator\": " + section + "}", SECRETS));
    assertEquals(path, e.path(), e.getMessage());
    assertEquals("conf/turnout.yaml", e.file());
    assertFalse(e.getMessage().contains("sk-sim"), e.getMessage());
  }
}
