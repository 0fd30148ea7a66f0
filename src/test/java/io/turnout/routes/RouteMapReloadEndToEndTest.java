package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.turnout.testing.BusEvents;
import io.turnout.testing.ChatRequests;
import io.turnout.testing.Eventually;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node watching its config directory applies a valid route map edit without a restart and
 * refuses an invalid one, publishing either on {@link RouteEvents#ADDRESS}: a refused edit names
 * the file and the exact field path, and the running map keeps serving.
 */
@ExtendWith(VertxExtension.class)
class RouteMapReloadEndToEndTest {

  private static final long SCAN_PERIOD_MS = 100;
  private static final long EVENT_TIMEOUT_MS = 5_000;

  /** The map the node starts with: chat-v1 (primary only) active, chat-v2 (with fallback) ready. */
  private static final String ROUTES = """
      aliases:
        chat:
          provider_models:
            primary: gpt-4o-mini-2024-07-18
            cometapi: gpt-4o-mini
          rollback_target: chat-v1
      routes:
        - route_version: chat-v1
          environment: production
          tenant_or_cohort: "*"
          model_alias: chat
          mode: primary_only
          primary_provider: primary
          timeout_ms: 30000
          rollback_route_version: chat-v1
          owner: tests
        - route_version: chat-v2
          environment: production
          tenant_or_cohort: "*"
          model_alias: chat
          mode: primary_with_fallback
          primary_provider: primary
          fallback_provider: cometapi
          timeout_ms: 30000
          rollback_route_version: chat-v1
          owner: tests
      active:
        - {environment: production, tenant_or_cohort: "*", model_alias: chat, route_version: chat-v1}
      """;

  /** A reviewed edit: a new version, a full cutover to the fallback, and the pointer moved to it. */
  private static final String CUTOVER = ROUTES
      .replace("active:\n", ""
          + "  - route_version: chat-v3\n"
          + "    environment: production\n"
          + "    tenant_or_cohort: \"*\"\n"
          + "    model_alias: chat\n"
          + "    mode: fallback_only\n"
          + "    primary_provider: primary\n"
          + "    fallback_provider: cometapi\n"
          + "    timeout_ms: 30000\n"
          + "    rollback_route_version: chat-v1\n"
          + "    owner: tests\n"
          + "active:\n")
      .replace("route_version: chat-v1}", "route_version: chat-v3}");

  /** The last route (chat-v2) with a misspelt field. */
  private static final String UNKNOWN_FIELD =
      ROUTES.replace("    owner: tests\nactive:", "    owner: tests\n    timout_ms: 5000\nactive:");

  private static Vertx vertx;
  private static Sim sim;

  @TempDir
  Path dir;
  private Node node;
  private TestHttp http;
  private BusEvents events;

  @BeforeAll
  static void startSim(Vertx v) {
    vertx = v;
    sim = Sim.start(vertx);
  }

  @BeforeEach
  void startNode() throws IOException {
    String yaml = TestNode.replace(TestNode.config(sim, 2_000, 2_000, 5_000), TestNode.ROUTING,
        "routing:\n  watch: true\n  scan_period_ms: " + SCAN_PERIOD_MS + "\n") + "audit:\n  file: audit.jsonl\n";
    Files.writeString(dir.resolve(NodeConfig.FILE), yaml, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);
    events = BusEvents.record(vertx, RouteEvents.ADDRESS);
    node = Node.start(vertx, NodeConfig.load(dir, TestNode.ENV)).await();
    http = new TestHttp(vertx, node.httpPort());
    assertEquals("chat-v1", servedBy(), "the node starts on the file's active version");
  }

  @AfterEach
  void stopNode() {
    events.close();
    http.close().await();
    node.stop().await();
  }

  static Stream<Arguments> invalidEdits() {
    return Stream.of(
        Arguments.of("unknown field", "routes[1].timout_ms", "unknown field", UNKNOWN_FIELD),
        Arguments.of("rollback naming a missing version", "routes[1].rollback_route_version", "names no route version",
            ROUTES.replace("    rollback_route_version: chat-v1\n    owner: tests\nactive:",
                "    rollback_route_version: chat-v0\n    owner: tests\nactive:")),
        Arguments.of("alias without a pin for a provider a route uses", "routes[1].fallback_provider",
            "pins no provider model id for 'cometapi'",
            ROUTES.replace("      cometapi: gpt-4o-mini\n", "")),
        Arguments.of("duplicate route_version", "routes[1].route_version", "already defined at routes[0]",
            ROUTES.replace("route_version: chat-v2", "route_version: chat-v1")),
        Arguments.of("wrong type for timeout_ms", "routes[1].timeout_ms", "must be an integer",
            ROUTES.replace("    fallback_provider: cometapi\n    timeout_ms: 30000",
                "    fallback_provider: cometapi\n    timeout_ms: 30s")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEdits")
  void invalidEdit_isRejectedWithItsPath_andTheOldVersionKeepsServing(String name, String path, String reason,
      String text) throws IOException {
    // WHEN the route map file is edited into an invalid state
    write(text);

    // THEN the rejection names the file, the exact field path and why
    JsonObject rejected = events.await("a rejected event", EVENT_TIMEOUT_MS, type("rejected"));
    assertEquals(dir.resolve("routes.yaml").toString(), rejected.getString("file"));
    assertEquals(path, rejected.getString("path"), rejected.encode());
    assertTrue(rejected.getString("reason").contains(reason), rejected.encode());
    assertEquals(node.id(), rejected.getString("node"));
    // AND nothing changed: the old version still serves, and nothing was applied
    assertEquals("chat-v1", servedBy());
    assertEquals(List.of(), events.matching(type("applied")));
  }

  @Test
  void validEdit_movesThePointerWithoutARestart() throws IOException {
    // WHEN a reviewed edit adds chat-v3 and points the scope at it
    write(CUTOVER);

    // THEN the node applies it and says so
    JsonObject applied = events.await("an applied event", EVENT_TIMEOUT_MS, type("applied"));
    assertEquals(3, applied.getInteger("versions"));
    assertEquals("chat-v3", applied.getJsonArray("pointers").getJsonObject(0).getString("route_version"));
    // AND the next request is served by the new version: the fallback provider, as chat-v3 says
    TestHttp.Response response = http.chat(ChatRequests.plain("chat"));
    assertEquals(200, response.status(), response.text());
    assertEquals("chat-v3", response.header("x-turnout-route-version"));
    assertEquals("cometapi", response.header("x-turnout-provider"));
    assertEquals(List.of(), events.matching(type("rejected")));
  }

  @Test
  void twoBadEditsWithTheSameError_areTwoRejections_aRescanOfOneIsNone() throws IOException {
    // GIVEN an invalid edit was rejected
    write(UNKNOWN_FIELD);
    events.await("the first rejection", EVENT_TIMEOUT_MS, type("rejected"));
    // AND rescanning the same file reports nothing again
    Eventually.holds(vertx, "a single rejected event over many scans", 10 * SCAN_PERIOD_MS,
        () -> events.matching(type("rejected")).size() == 1);

    // WHEN the file is saved again, changed elsewhere but with the same error
    write("# still working on it\n" + UNKNOWN_FIELD);

    // THEN that is a second refused edit: a second event, with the same path (issue 13 item 13)
    Eventually.await(vertx, "a second rejection", EVENT_TIMEOUT_MS,
        () -> events.matching(type("rejected")).size() == 2);
    // AND a different error is a third
    write(UNKNOWN_FIELD.replace("timeout_ms: 30000\n    rollback_route_version: chat-v1\n    owner: tests\n    timout_ms",
        "timeout_ms: 30s\n    rollback_route_version: chat-v1\n    owner: tests\n    timout_ms"));
    Eventually.await(vertx, "a third rejection", EVENT_TIMEOUT_MS,
        () -> events.matching(type("rejected")).size() == 3);
    List<JsonObject> rejected = events.matching(type("rejected"));
    assertEquals("routes[1].timout_ms", rejected.get(0).getString("path"));
    assertEquals("routes[1].timout_ms", rejected.get(1).getString("path"));
    assertEquals("routes[1].timeout_ms", rejected.get(2).getString("path"));
    assertEquals("chat-v1", servedBy());
  }

  @Test
  void editUndoneAndMadeAgain_isRejectedAgain() throws IOException {
    // GIVEN an invalid edit was rejected
    write(UNKNOWN_FIELD);
    events.await("the first rejection", EVENT_TIMEOUT_MS, type("rejected"));

    // WHEN the operator restores the running file (say, git checkout), which changes nothing
    write(ROUTES);
    Eventually.holds(vertx, "restoring the running map publishes nothing", 10 * SCAN_PERIOD_MS,
        () -> events.matching(type("rejected")).size() == 1 && events.matching(type("applied")).isEmpty());
    // AND then makes the same mistake again
    write(UNKNOWN_FIELD);

    // THEN it is a new rejection, visible like the first: the file was valid in between
    Eventually.await(vertx, "a second rejection", EVENT_TIMEOUT_MS,
        () -> events.matching(type("rejected")).size() == 2);
    assertEquals("routes[1].timout_ms", events.matching(type("rejected")).get(1).getString("path"));
    assertEquals("chat-v1", servedBy());
  }

  private String servedBy() {
    TestHttp.Response response = http.chat(ChatRequests.plain("chat"));
    assertEquals(200, response.status(), response.text());
    return response.header("x-turnout-route-version");
  }

  /**
   * Replaces the file in one step, as editors and config management do: the watcher never reads a
   * half-written file.
   */
  private void write(String text) throws IOException {
    Path staged = Files.createTempFile(dir, "routes", ".tmp");
    Files.writeString(staged, text, StandardCharsets.UTF_8);
    Files.move(staged, dir.resolve("routes.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** This node's events of one type (earlier tests' nodes publish on the same bus). */
  private Predicate<JsonObject> type(String type) {
    return event -> type.equals(event.getString("type")) && node.id().equals(event.getString("node"));
  }
}
