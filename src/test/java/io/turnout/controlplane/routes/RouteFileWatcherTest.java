package io.turnout.controlplane.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import io.turnout.testing.LogCapture;
import io.turnout.testing.SteppedClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route file watcher on real files, scanned by the test (no timers, no sleeps) with a stepped
 * clock: deleted, oversized, unreadable and undecodable files are one rejection each until they
 * change, every refused edit is counted, identical log lines are folded, parsing is on a worker.
 */
class RouteFileWatcherTest {

  private static final long MAX_BYTES = 4_096;

  @TempDir
  Path dir;
  private Path file;
  private Vertx vertx;
  private Context context;
  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<ConfigException> rejected = new CopyOnWriteArrayList<>();
  private final List<Boolean> parsedOnWorker = new CopyOnWriteArrayList<>();
  private RouteMapReceiver receiver;
  private RouteFileWatcher watcher;

  @BeforeEach
  void setUp() throws IOException {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    file = dir.resolve("routes.yaml");
    write(RouteCommandHandlerTest.ROUTES);
    receiver = (text, map) -> {
      received.add(text);
      return Future.succeededFuture(true);
    };
    RouteMapReader reader = (source, text) -> {
      parsedOnWorker.add(Context.isOnWorkerThread());
      return RouteMap.parse(source, text, Set.of("primary", "fallback"), Instant.EPOCH);
    };
    watcher = new RouteFileWatcher(vertx, file, MAX_BYTES, reader, (text, map) -> receiver.receive(text, map),
        rejected::add, clock, RouteCommandHandlerTest.ROUTES);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void theLoadedText_isNoEdit_aValidEdit_isPushedOnce_parsedOnAWorker() throws IOException {
    scan();
    assertEquals(List.of(), received, "the text the node loaded is not an edit");

    String edited = RouteCommandHandlerTest.ROUTES.replace("route_version: chat-v3}", "route_version: chat-v2}");
    write(edited);
    scan();
    scan();

    assertEquals(List.of(edited), received, "pushed once, not once per scan");
    assertEquals(List.of(true), parsedOnWorker, "parsed off the event loop");
    assertEquals(0, watcher.rejections());
  }

  @Test
  void aDeletedFile_isOneRejection_overManyScans_andTheFileComingBackClearsIt() throws IOException {
    try (LogCapture log = LogCapture.logger(RouteFileWatcher.class.getName())) {
      Files.delete(file);
      for (int i = 0; i < 5; i++) {
        scan();
      }

      assertEquals(1, rejected.size(), "one rejection, not one per scan");
      assertEquals(1, watcher.rejections());
      assertTrue(watcher.lastRejection().contains("missing"), watcher.lastRejection());
      assertEquals(1, log.lines().size(), log.text());
      assertFalse(log.text().contains("Exception"), "no stack trace: " + log.text());
    }

    write(RouteCommandHandlerTest.ROUTES);
    scan();
    assertNull(watcher.lastRejection(), "the file is back");
    assertEquals(1, watcher.rejections(), "counted once");
  }

  @Test
  void aFileOverTheLimit_isRefusedBeforeItIsParsed() throws IOException {
    write(RouteCommandHandlerTest.ROUTES + "#" + "x".repeat((int) MAX_BYTES) + "\n");
    scan();
    scan();

    assertEquals(1, rejected.size());
    assertTrue(rejected.get(0).reason().contains("max_file_bytes"), rejected.get(0).reason());
    assertEquals(List.of(), parsedOnWorker, "never parsed");
    assertEquals(List.of(), received);

    // a second oversized edit is a second rejection
    write(RouteCommandHandlerTest.ROUTES + "#" + "y".repeat((int) MAX_BYTES + 10) + "\n");
    scan();
    assertEquals(2, rejected.size());
  }

  @Test
  void anUnreadableOrNonUtf8File_isOneRejectionEach() throws IOException {
    Files.delete(file);
    Files.createDirectory(file);
    scan();
    scan();
    assertEquals(1, rejected.size());
    assertTrue(rejected.get(0).reason().contains("cannot be read"), rejected.get(0).reason());

    Files.delete(file);
    Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
    scan();
    assertEquals(2, rejected.size());
    assertTrue(rejected.get(1).reason().contains("UTF-8"), rejected.get(1).reason());
  }

  @Test
  void twoBadEditsWithTheSameMessage_areTwoRejections_theLogLineIsFoldedForAMinute() throws IOException {
    String bad = RouteCommandHandlerTest.ROUTES.replace("owner: o}\n      active:", "owner: o, timout_ms: 1}\n      active:")
        .replace("owner: o}\nactive:", "owner: o, timout_ms: 1}\nactive:");
    assertFalse(bad.equals(RouteCommandHandlerTest.ROUTES), "the edit really is one");
    try (LogCapture log = LogCapture.logger(RouteFileWatcher.class.getName())) {
      write(bad);
      scan();
      write("# still at it\n" + bad);
      scan();

      assertEquals(2, rejected.size(), "two refused edits, two rejections");
      assertEquals(rejected.get(0).getMessage(), rejected.get(1).getMessage(), "with the same message");
      assertEquals(2, watcher.rejections());
      assertEquals(1, log.lines().size(), "the identical line is folded: " + log.text());

      clock.advance(RouteFileWatcher.LOG_INTERVAL.plus(Duration.ofSeconds(1)));
      write("# and again\n" + bad);
      scan();

      assertEquals(3, watcher.rejections());
      assertEquals(2, log.lines().size());
      assertTrue(log.lines().get(1).contains("1 more times"), log.lines().get(1));
    }
  }

  @Test
  void aRefusalByTheReceiver_isARejection_aLaterAppliedEditClearsIt() throws IOException {
    receiver = (text, map) -> Future.failedFuture(new ConfigException(file.toString(), "active", "no probe run"));
    write(RouteCommandHandlerTest.ROUTES.replace("route_version: chat-v3}", "route_version: chat-v4}"));
    scan();
    assertEquals("active", rejected.get(0).path());
    JsonObject status = watcher.describe(new JsonObject());
    assertTrue(status.getString("last_rejection").contains("no probe run"), status.encode());
    assertEquals(1L, status.getLong("rejected_edits"));

    receiver = (text, map) -> Future.succeededFuture(true);
    write(RouteCommandHandlerTest.ROUTES.replace("route_version: chat-v3}", "route_version: chat-v2}"));
    scan();
    assertNull(watcher.lastRejection());
  }

  private void scan() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> watcher.scan().onComplete(done));
    done.future().await();
  }

  /** Replaces the file in one step, as editors do. */
  private void write(String text) throws IOException {
    Path staged = Files.createTempFile(dir, "routes", ".tmp");
    Files.writeString(staged, text, StandardCharsets.UTF_8);
    Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
