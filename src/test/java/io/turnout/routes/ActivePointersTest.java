package io.turnout.routes;

import static io.turnout.routes.RouteMapFixture.scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ActivePointers}: immutable copies, JSON snapshots and the expiry sweep. */
class ActivePointersTest {

  private final RouteMap map = RouteMapFixture.map();

  @Test
  void withAndWithoutReturnCopiesWithTheNextRevision() {
    ActivePointers file = map.active();

    ActivePointers moved = file.with(scope("*"), "support-canary-v2");
    ActivePointers removed = moved.without(scope("internal"));

    assertEquals("support-primary-v1", file.get(scope("*")));
    assertEquals("support-canary-v2", moved.get(scope("*")));
    assertEquals(1, moved.revision());
    assertNull(removed.get(scope("internal")));
    assertEquals("support-internal-v1", moved.get(scope("internal")));
    assertEquals(2, removed.revision());
    assertThrows(UnsupportedOperationException.class, () -> file.byScope().clear());
  }

  @Test
  void jsonSnapshotRoundTrips() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");

    assertEquals(pointers, ActivePointers.fromJson(pointers.toJson()));
    assertThrows(IllegalArgumentException.class, () -> ActivePointers.fromJson(new JsonObject()
        .put("pointers", new JsonArray().add(new JsonObject().put("environment", "production")))));
  }

  @Test
  void sweepBeforeAnyExpiryChangesNothing() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");

    ExpiryResult result = pointers.expire(map, Instant.parse("2026-06-30T23:59:59Z"));

    assertSame(pointers, result.pointers());
    assertFalse(result.changed());
    assertEquals(List.of(), result.stranded());
  }

  @Test
  void anExpiredCanaryRevertsToItsRollbackVersion() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");

    ExpiryResult result = pointers.expire(map, Instant.parse("2026-07-01T00:00:00Z"));

    assertEquals("support-primary-v1", result.pointers().get(scope("*")));
    assertEquals(pointers.revision() + 1, result.pointers().revision());
    assertEquals(List.of(new Reversion(scope("*"), "support-canary-v2", "support-primary-v1",
        Instant.parse("2026-07-01T00:00:00Z"))), result.reversions());
    assertEquals("support-internal-v1", result.pointers().get(scope("internal")));
  }

  @Test
  void aChainOfExpiredVersionsRevertsToTheFirstLiveOne() {
    ActivePointers pointers = map.active().with(scope("*"), "support-canary-v2");

    ExpiryResult result = pointers.expire(map, Instant.parse("2027-01-01T00:00:00Z"));

    assertEquals("support-primary-v0", result.pointers().get(scope("*")));
    assertEquals(1, result.reversions().size());
    assertEquals("support-canary-v2", result.reversions().get(0).from());
    assertEquals("support-primary-v0", result.reversions().get(0).to());
  }

  @Test
  void anExpiredBaselineKeepsServingAndALoopOfExpiredVersionsIsStranded() {
    JsonObject json = RouteMapFixture.json();
    RouteMapFixture.route(json, RouteMapFixture.STAGING).put("expires_at", "2026-07-01T00:00:00Z");
    RouteMapFixture.route(json, RouteMapFixture.V0).put("expires_at", "2026-07-01T00:00:00Z")
        .put("rollback_route_version", "support-primary-v1");
    RouteMap looped = RouteMapFixture.parse(json);
    Instant later = Instant.parse("2027-01-01T00:00:00Z");

    ExpiryResult result = looped.active().expire(looped, later);

    assertFalse(result.changed());
    // support-primary-v1 -> v0 -> v1, both expired: nothing live to return to.
    assertEquals(List.of(scope("*")), result.stranded());
    assertEquals("support-primary-v1", result.pointers().get(scope("*")));
    assertEquals("support-internal-v1", result.pointers().get(scope("internal")));
    assertEquals("support-staging-v1", result.pointers().get(new ScopeKey("staging", "*", RouteMapFixture.SUPPORT)));
  }

  @Test
  void aPointerToAVersionMissingFromTheMapIsStranded() {
    ActivePointers pointers = map.active().with(scope("beta"), "support-primary-v7");

    ExpiryResult result = pointers.expire(map, RouteMapFixture.NOW);

    assertEquals(List.of(scope("beta")), result.stranded());
    assertTrue(result.reversions().isEmpty());
  }
}
