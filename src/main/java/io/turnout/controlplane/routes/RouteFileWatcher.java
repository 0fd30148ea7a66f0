package io.turnout.controlplane.routes;

import io.turnout.config.ConfigException;
import io.turnout.routes.RouteMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the route map file: each {@link #scan()} (the caller's timer, or a test) reads it on a
 * worker, and when it holds something new, parses and checks it on a worker and pushes the map to
 * a {@link RouteMapReceiver}. Nothing of this blocks an event loop.
 *
 * <p>Every refused edit is one rejection: counted, kept as {@link #lastRejection()}, handed to the
 * {@code onRejected} listener (metrics, the {@code rejected} route event) and logged; identical
 * log lines within {@link #LOG_INTERVAL} are folded into the next one, the count never is. A
 * missing, unreadable or oversized file ({@code routing.max_file_bytes}, refused before it is
 * read) is one rejection until it changes: a rescan of the same state reports nothing again. The
 * running map stays in every case. An edit this member cannot commit now (503: no quorum on its
 * side, the cluster starting) is no rejection: it shows as {@code last_rejection} ("not applied
 * yet") and is tried again at every scan until it commits.
 */
public final class RouteFileWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RouteFileWatcher.class);
  /** Identical rejection log lines are written at most once per interval. */
  public static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

  /** What one read found: the file's text, or the rejection; {@code key} tells a new state from a rescan. */
  private record Read(String key, String text, ConfigException problem) {}

  private final Vertx vertx;
  private final Path file;
  private final long maxFileBytes;
  private final RouteMapReader reader;
  private final RouteMapReceiver receiver;
  private final Consumer<ConfigException> onRejected;
  private final Clock clock;
  private String seenKey;
  private boolean scanning;
  /** An edit waits for its side of the cluster to be able to commit (a 503 from the commit). */
  private boolean pending;
  private long rejections;
  private String lastRejection;
  private String lastLogged;
  private Instant lastLoggedAt = Instant.MIN;
  private int folded;

  /**
   * @param loadedText the text the running map was loaded from: not an edit
   * @param onRejected told of every rejection, once
   */
  public RouteFileWatcher(Vertx vertx, Path file, long maxFileBytes, RouteMapReader reader, RouteMapReceiver receiver,
      Consumer<ConfigException> onRejected, Clock clock, String loadedText) {
    this.vertx = vertx;
    this.file = file;
    this.maxFileBytes = maxFileBytes;
    this.reader = reader;
    this.receiver = receiver;
    this.onRejected = onRejected;
    this.clock = clock;
    this.seenKey = loadedText;
  }

  /** Rejections since start. */
  public long rejections() {
    return rejections;
  }

  /** The last rejection's message while the file still holds a refused edit, else null. */
  public String lastRejection() {
    return lastRejection;
  }

  /** Adds {@code last_rejection} and {@code rejected_edits} to a status object. */
  public JsonObject describe(JsonObject status) {
    return status.put("last_rejection", lastRejection).put("rejected_edits", rejections);
  }

  /**
   * Reads the file once and handles what changed since the last scan. A scan that finds the
   * previous one still running does nothing. Completes when the edit was applied or refused.
   */
  public Future<Void> scan() {
    if (scanning) {
      return Future.succeededFuture();
    }
    scanning = true;
    return vertx.executeBlocking(this::read).compose(read -> {
      if (read.key().equals(seenKey)) {
        return Future.<Void>succeededFuture();
      }
      seenKey = read.key();
      if (read.problem() != null) {
        reject(read.problem());
        return Future.<Void>succeededFuture();
      }
      return vertx.executeBlocking(() -> reader.read(file.toString(), read.text()))
          .compose(map -> receiver.receive(read.text(), map))
          .transform(this::record);
    }).onComplete(done -> scanning = false);
  }

  /**
   * Hands the file as read at start (already parsed) to the receiver, once the member joined, and
   * records the outcome as a scan would: the file's edits since its last applied copy (made while
   * the node was down) apply, or are refused and reported.
   */
  public Future<Void> applyAtStart(String text, RouteMap map) {
    return receiver.receive(text, map).transform(this::record);
  }

  /** Reports the file's refusal at start (it did not load): the member runs on, the refusal shows. */
  public void refusedAtStart(ConfigException refusal) {
    reject(refusal);
  }

  private Future<Void> record(io.vertx.core.AsyncResult<Boolean> applied) {
    Throwable cause = applied.cause();
    if (cause instanceof io.turnout.controlplane.CommandRefusal refusal && refusal.status() == 503) {
      // Not refused on its merits: this member's side cannot commit now (no quorum, the cluster
      // starting). The edit is kept and tried again at every scan until it commits; not a rejection.
      seenKey = null;
      if (!pending) {
        LOG.warn("Route map edit of {} not applied yet, tried again at every scan: {}", file, refusal.getMessage());
      }
      pending = true;
      lastRejection = "not applied yet (tried again at every scan): " + refusal.getMessage();
      return Future.succeededFuture();
    }
    pending = false;
    if (applied.succeeded()) {
      lastRejection = null;
    } else {
      reject(cause instanceof ConfigException e ? e
          : new ConfigException(file.toString(), "", "edit not applied: " + cause.getMessage()));
    }
    return Future.succeededFuture();
  }

  /** Blocking: the file's state. Its size is checked before a byte of it is read. */
  private Read read() {
    try {
      long size = Files.size(file);
      String stamp = size + "@" + Files.getLastModifiedTime(file).toMillis();
      if (size > maxFileBytes) {
        return new Read("\0too-large:" + stamp, null, problem("is " + size + " bytes, over routing.max_file_bytes ("
            + maxFileBytes + "): refused before parsing; the running route map stays"));
      }
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > maxFileBytes) {
        return new Read("\0too-large:" + stamp, null, problem("grew to " + bytes.length
            + " bytes while read, over routing.max_file_bytes (" + maxFileBytes + "); the running route map stays"));
      }
      try {
        String text = utf8(bytes);
        return new Read(text, text, null);
      } catch (CharacterCodingException e) {
        return new Read("\0not-utf8:" + stamp, null, problem("is not UTF-8 text; the running route map stays"));
      }
    } catch (NoSuchFileException e) {
      return new Read("\0missing", null, problem("is missing (deleted or moved); the running route map stays"
          + " until the file is back"));
    } catch (IOException | SecurityException e) {
      return new Read("\0unreadable:" + e.getClass().getSimpleName(), null, problem("cannot be read ("
          + e.getClass().getSimpleName() + "); the running route map stays"));
    }
  }

  private ConfigException problem(String reason) {
    return new ConfigException(file.toString(), "", reason);
  }

  private static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
  }

  private void reject(ConfigException e) {
    rejections++;
    lastRejection = e.getMessage();
    onRejected.accept(e);
    Instant now = clock.instant();
    boolean same = e.getMessage().equals(lastLogged);
    if (same && now.isBefore(lastLoggedAt.plus(LOG_INTERVAL))) {
      // The count and the event say it happened again; the log need not repeat itself.
      folded++;
      return;
    }
    int repeats = same ? folded : 0;
    LOG.warn("Route map edit rejected, running map unchanged: {}{}", e.getMessage(),
        repeats == 0 ? "" : " (the same rejection " + repeats + " more times since the last line)");
    lastLogged = e.getMessage();
    lastLoggedAt = now;
    folded = 0;
  }
}
