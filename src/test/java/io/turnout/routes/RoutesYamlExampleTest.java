package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.dataplane.routing.RouteRequest;
import io.turnout.dataplane.routing.RouteResolver;

/** The shipped {@code conf/routes.yaml} stays valid against the simulator's providers. */
class RoutesYamlExampleTest {

  @Test
  void theShippedRouteMapParses() throws Exception {
    String text = Files.readString(Path.of("conf/routes.yaml"), StandardCharsets.UTF_8);

    RouteMap map = RouteMap.parse("conf/routes.yaml", text, Set.of("primary", "cometapi", "claude"),
        Instant.parse("2026-06-01T00:00:00Z"));

    assertEquals(6, map.versions().size());
    assertEquals(3, map.active().byScope().size());
    RoutePlan plan = RouteResolver.standard().resolve(map, map.active(), new RouteRequest("production", "acme", null,
        "support-summary-v3", Features.of(new JsonObject().put("stream", true)), "acme"),
        Instant.parse("2026-06-01T00:00:00Z"));
    assertEquals("support-primary-v1", plan.routeVersion());
    assertEquals(2, plan.attempts().size());
  }
}
