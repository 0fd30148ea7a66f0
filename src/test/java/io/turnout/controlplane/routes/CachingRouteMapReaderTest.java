package io.turnout.controlplane.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The adoption reader's cache: the same source and text parse once; anything else parses again. */
class CachingRouteMapReaderTest {

  private static final Set<String> PROVIDERS = Set.of("primary");
  private static final String ROUTES = """
      aliases:
        chat: {provider_models: {primary: gpt-4o-mini-2024-07-18}, rollback_target: chat-v1}
      routes:
        - route_version: chat-v1
          environment: production
          tenant_or_cohort: "*"
          model_alias: chat
          mode: primary_only
          primary_provider: primary
          timeout_ms: 30000
          rollback_route_version: chat-v1
          owner: test
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  private final List<String> parsed = new ArrayList<>();
  private final RouteMapReader counting = (source, text) -> {
    parsed.add(source);
    return RouteMap.parse(source, text, PROVIDERS, Instant.EPOCH);
  };

  @Test
  void theSameTextFromTheSameSource_isParsedOnce() {
    CachingRouteMapReader reader = new CachingRouteMapReader(counting);
    RouteMap first = reader.read("routes.yaml", ROUTES);
    RouteMap again = reader.read("routes.yaml", ROUTES);
    assertSame(first, again);
    assertEquals(List.of("routes.yaml"), parsed);
  }

  @Test
  void anotherTextOrSource_isParsed() {
    CachingRouteMapReader reader = new CachingRouteMapReader(counting);
    reader.read("routes.yaml", ROUTES);
    reader.read("routes.yaml", ROUTES + "\n# an edit\n");
    // Errors name the source: a map read under another name is parsed under that name.
    reader.read("adopted.yaml", ROUTES);
    assertEquals(List.of("routes.yaml", "routes.yaml", "adopted.yaml"), parsed);
  }

  @Test
  void anInvalidText_isNotRemembered_andFailsEachTime() {
    CachingRouteMapReader reader = new CachingRouteMapReader(counting);
    String broken = ROUTES.replace("primary_provider: primary", "primary_provider: nobody");
    assertThrows(ConfigException.class, () -> reader.read("routes.yaml", broken));
    assertThrows(ConfigException.class, () -> reader.read("routes.yaml", broken));
    assertEquals(2, parsed.size());
    assertEquals(0, reader.size());
  }

  @Test
  void theLeastRecentlyUsedMap_goesFirst() {
    CachingRouteMapReader reader = new CachingRouteMapReader(counting, 2);
    String a = ROUTES;
    String b = a + "\n# b\n";
    String c = a + "\n# c\n";
    reader.read("r", a);
    reader.read("r", b);
    reader.read("r", a);
    reader.read("r", c);
    assertEquals(2, reader.size());
    parsed.clear();
    reader.read("r", a);
    reader.read("r", b);
    // a was used after b, so b went when c came.
    assertEquals(List.of("r"), parsed);
  }
}
