package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.controlplane.admin.DemoTokenGuard;
import io.turnout.dataplane.provider.ProviderKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config shipped in conf/ loads as README says: the default with no keys, the example with keys only. */
class ShippedConfigTest {

  @Test
  void defaultConfigLoadsWithNoEnvironmentAtAll() {
    // The shipped demo's admin API shares the client listener on 0.0.0.0 until it has a loopback
    // listener of its own, so its public demo token needs the explicit opt-in (DemoTokenGuardTest).
    NodeConfig config = NodeConfig.load(Path.of("conf"), Map.of(DemoTokenGuard.ENV_ALLOW, "true"));

    assertTrue(config.simulator().isEnabled());
    assertEquals(8080, config.http().port());
    assertEquals("127.0.0.1", config.admin().host());
    assertEquals(8081, config.admin().port());
    assertEquals(Map.of("primary", ProviderKind.OPENAI, "cometapi", ProviderKind.OPENAI, "claude", ProviderKind.ANTHROPIC),
        Map.of("primary", config.providers().get("primary").kind(), "cometapi", config.providers().get("cometapi").kind(),
            "claude", config.providers().get("claude").kind()));
    assertEquals("demo", config.clients().authenticate("Bearer turnout-demo-key").tenant());
    assertTrue(config.routes().aliases().containsKey("support-summary-v3"));
  }

  @Test
  void realProviderExampleNeedsOnlyKeysInTheEnvironment() {
    Map<String, String> env = Map.of("OPENAI_API_KEY", "k1", "COMETAPI_API_KEY", "k2", "ANTHROPIC_API_KEY", "k3",
        "SUPPORT_APP_CLIENT_KEY", "c1", "INTERNAL_CLIENT_KEY", "c2", "TURNOUT_ADMIN_TOKEN_ONCALL", "a1");

    NodeConfig config = NodeConfig.load(Path.of("conf/examples/real-providers"), env);

    assertEquals("https://api.cometapi.com/v1/chat/completions", config.providers().get("cometapi").endpoint());
    assertEquals(8081, config.admin().port());
    assertEquals("https://api.anthropic.com/v1/messages", config.providers().get("anthropic").endpoint());
    assertEquals("Bearer k2", config.providers().get("cometapi").authValue());
    assertTrue(!config.simulator().isEnabled());
  }

  @Test
  void realProviderExampleWithoutAKey_namesTheMissingVariable() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> NodeConfig.load(Path.of("conf/examples/real-providers"), Map.of("OPENAI_API_KEY", "k1")));

    assertEquals("providers.cometapi.auth.key", e.path());
    assertTrue(e.reason().contains("COMETAPI_API_KEY"), e.reason());
  }
}
