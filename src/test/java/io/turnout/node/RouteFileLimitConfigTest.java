package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code routing.max_file_bytes}: its default, its bounds, and a route map over it refused at start before parsing. */
class RouteFileLimitConfigTest {

  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: m1}, rollback_target: v1}
      routes:
        - {route_version: v1, environment: production, tenant_or_cohort: "*", model_alias: chat, mode: primary_only,
           primary_provider: primary, timeout_ms: 1000, rollback_route_version: v1, owner: o}
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: v1}
      """;

  private static String yaml(String routing) {
    return "providers:\n  primary:\n    kind: openai\n    base_url: http://127.0.0.1:1\n"
        + "    auth: {key: \"${PRIMARY_KEY}\"}\n" + routing;
  }

  private static NodeConfig parse(String yaml, String routes) {
    return NodeConfig.parse("t/turnout.yaml", yaml, Path.of("t"), Map.of("PRIMARY_KEY", "sk-test"), name -> routes);
  }

  @Test
  void theDefault_isOneMebibyte() {
    assertEquals(1L << 20, parse(yaml(""), ROUTES).routing().maxFileBytes());
  }

  @Test
  void aRouteMapOverTheLimit_isRefusedAtStart_namingTheFileAndTheSetting() {
    // The padding is a comment: the map itself would parse.
    String big = ROUTES + "# " + "x".repeat(2_000) + "\n";

    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(yaml("routing:\n  max_file_bytes: 1024\n"), big));

    assertTrue(e.file().endsWith("routes.yaml"), e.file());
    assertTrue(e.reason().contains("routing.max_file_bytes"), e.reason());
    assertEquals(1024, parse(yaml("routing:\n  max_file_bytes: 1024\n"), ROUTES).routing().maxFileBytes());
  }

  @Test
  void aLimitTheClusterMapCannotCarry_isRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(yaml("routing:\n  max_file_bytes: 100000000\n"), ROUTES));

    assertEquals("routing.max_file_bytes", e.path());
  }
}
