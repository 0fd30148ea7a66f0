package io.turnout.controlplane.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.controlplane.cluster.NodeMaps;
import io.turnout.controlplane.cluster.RouteStateStore;
import io.turnout.routes.RouteMap;
import io.turnout.routes.RouteTable;
import io.turnout.routes.ScopeKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.turnout.controlplane.CommandRefusal;
import io.turnout.controlplane.audit.AuditLog;

/**
 * The shared route state cannot wedge route control (issue 13 item 12): a state larger than the
 * cluster map takes is refused before anything is written, and a shared text nobody can decode is
 * replaced by the next change instead of refusing every change after it. Real shared-data map,
 * real audit file.
 */
class ClusterRouteStateLimitsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final ScopeKey ANY = new ScopeKey("production", "*", "chat");

  @TempDir
  Path dir;
  private Vertx vertx;
  private Context context;
  private RouteTable routes;
  private AuditLog audit;
  private RouteStateStore store;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    RouteMap map = RouteMap.parse("routes.yaml", RouteCommandHandlerTest.ROUTES, Set.of("primary", "fallback"),
        Instant.EPOCH);
    routes = RouteTable.initial(map, map.active(), "routes.yaml", NOW).table();
    audit = new AuditLog(dir.resolve("audit.jsonl"));
    store = new RouteStateStore(vertx, "n1");
  }

  @AfterEach
  void tearDown() throws Exception {
    audit.close();
    vertx.close().await();
  }

  private ClusterRouteState state(long maxStateChars) {
    RouteMapReader reader = (source, text) -> RouteMap.parse(source, text, Set.of("primary", "fallback"),
        Instant.EPOCH);
    return new ClusterRouteState(vertx, routes, audit, store, reader, "n1", Clock.systemUTC(),
        RouteCommandHandlerTest.ROUTES, maxStateChars, 10_000, false);
  }

  /** Runs {@code work} on one event-loop context, as the verticle does, and returns its completed outcome. */
  private <T> Future<T> on(Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    // Waits for the outcome, success or failure, then hands it over.
    done.future().transform(ar -> Future.succeededFuture()).await();
    return done.future();
  }

  @Test
  void aStateOverTheLimit_isRefusedBeforeAnythingIsWritten() throws Exception {
    ClusterRouteState state = state(RouteCommandHandlerTest.ROUTES.length() + 2_000);
    on(state::join).await();
    String joined = store.read().await();
    RouteTable.Proposal proposal = routes.proposeActivation(ANY, "chat-v2", -1, NOW);
    String huge = RouteCommandHandlerTest.ROUTES + "#" + "x".repeat(5_000) + "\n";

    Future<Void> commit = on(() -> state.commit(proposal, new JsonObject().put("action", "file"), huge));

    CommandRefusal refusal = (CommandRefusal) commit.cause();
    assertEquals(413, refusal.status());
    assertEquals("route_state_too_large", refusal.code());
    assertEquals(joined, store.read().await(), "the shared state is untouched");
    assertEquals("chat-v3", routes.current().pointers().get(ANY), "and so is this member's table");
    assertEquals(0, audit.readAll().size(), "nothing audited");
  }

  @Test
  void anUndecodableSharedState_isReplacedByTheNextChange_notAWedge() throws Exception {
    ClusterRouteState state = state(1 << 20);
    on(state::join).await();
    vertx.sharedData().<String, String>getAsyncMap(NodeMaps.name(vertx, RouteStateStore.MAP, "n1"))
        .compose(m -> m.put("state", "{\"revision\": 3, \"routes_text\": \"trunc")).await();
    RouteTable.Proposal proposal = routes.proposeActivation(ANY, "chat-v2", -1, NOW);

    Future<Void> commit = on(() -> state.commit(proposal, new JsonObject().put("action", "activate"), null));

    assertTrue(commit.succeeded(), () -> String.valueOf(commit.cause()));
    assertEquals("chat-v2", routes.current().pointers().get(ANY));
    assertEquals(routes.revision(), RouteStateStore.revisionOf(store.read().await()), "the shared state is readable again");
    assertEquals(1, audit.readAll().size());
  }
}
