package io.turnout.node;

import io.turnout.dataplane.http.FrontDoor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door's part of a graceful shutdown, in order: drain (readiness DOWN, new requests on
 * kept-alive connections answered with {@code Connection: close}); after the drain delay, stop
 * accepting connections; wait for the requests in flight, at most the grace period; end those
 * still running (503 / SSE error event) and give their answers a moment to be written.
 */
final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  /** How often the requests in flight are counted while waiting. */
  private static final long POLL_MS = 20;
  /** After the deadline, how long the ended requests' answers get to reach the wire. */
  private static final long FLUSH_MS = 500;

  private final Vertx vertx;
  private final FrontDoor door;
  private final long drainDelayMs;
  private final long graceMs;

  GracefulShutdown(Vertx vertx, FrontDoor door, long drainDelayMs, long graceMs) {
    this.vertx = vertx;
    this.door = door;
    this.drainDelayMs = drainDelayMs;
    this.graceMs = graceMs;
  }

  Future<Void> run() {
    door.drain();
    LOG.info("Shutting down: readiness DOWN; accepting connections for {} ms more, then up to {} ms for {} "
        + "request(s) in flight", drainDelayMs, graceMs, door.inFlight());
    return delay(drainDelayMs)
        .compose(v -> {
          // Not awaited: the server's own shutdown ends when its last connection has closed.
          door.stopAccepting(graceMs + FLUSH_MS);
          return untilIdle(graceMs);
        })
        .compose(idle -> {
          if (idle) {
            LOG.info("Shutting down: every request in flight finished");
            return Future.succeededFuture();
          }
          LOG.warn("Shutting down: grace period over, ending {} request(s) still in flight", door.inFlight());
          door.endAll();
          return untilIdle(FLUSH_MS).mapEmpty();
        });
  }

  private Future<Void> delay(long ms) {
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, id -> done.complete());
    return done.future();
  }

  /** True once nothing is in flight, false when {@code ms} passed first. */
  private Future<Boolean> untilIdle(long ms) {
    if (door.inFlight() == 0) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> idle = Promise.promise();
    long deadline = System.nanoTime() + ms * 1_000_000;
    vertx.setPeriodic(POLL_MS, id -> {
      if (door.inFlight() == 0) {
        vertx.cancelTimer(id);
        idle.tryComplete(true);
      } else if (System.nanoTime() - deadline >= 0) {
        vertx.cancelTimer(id);
        idle.tryComplete(false);
      }
    });
    return idle.future();
  }
}
