package io.turnout.controlplane.drills;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this member's copy of a drill's report ({@code <id>.json} and {@code <id>.html} in
 * {@code drills.report_dir}), off the event loop and atomically (a reader never sees half a
 * file; members sharing one directory never collide on a temporary name). Every member rewrites
 * its copy on every drill change it hears of, so every copy shows the drill's current state.
 */
final class DrillReportWriter {

  private static final Logger LOG = LoggerFactory.getLogger(DrillReportWriter.class);

  private final Vertx vertx;
  private final Path dir;
  private final DrillView view;
  private final Clock clock;

  DrillReportWriter(Vertx vertx, Path dir, DrillView view, Clock clock) {
    this.vertx = vertx;
    this.dir = dir;
    this.view = view;
    this.clock = clock;
  }

  /** Writes the drill's report; a failure to write is logged, never failed. */
  Future<Void> write(Drill drill) {
    JsonObject full = view.of(drill, clock.millis());
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir);
      write(drill.id() + ".json", full.encodePrettily());
      write(drill.id() + ".html", DrillReport.html(full));
      return (Void) null;
    }).recover(t -> {
      LOG.error("Drill report for {} not written to {}: {}", drill.id(), dir, t.toString());
      return Future.succeededFuture();
    });
  }

  private void write(String name, String content) throws IOException {
    Path temp = Files.createTempFile(dir, name, ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
