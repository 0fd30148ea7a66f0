package io.turnout.controlplane.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The route-change audit log: one JSON object per line, appended and forced to disk before the
 * change it records is acknowledged, so an acknowledged flip survives a crash. Blocking: call
 * from a worker ({@code executeBlocking}), never from an event loop. Not thread-safe: one writer.
 */
public final class AuditLog implements AutoCloseable {

  private final Path file;
  private FileChannel channel;

  public AuditLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Appends one entry and forces it (data and length) to the device before returning. */
  public void append(JsonObject entry) throws IOException {
    if (channel == null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    ByteBuffer line = ByteBuffer.wrap((entry.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    while (line.hasRemaining()) {
      channel.write(line);
    }
    channel.force(true);
  }

  /**
   * Every readable entry, oldest first. A torn last line (a crash mid-write, never acknowledged)
   * is skipped; so is any line that is not a JSON object.
   */
  public List<JsonObject> readAll() throws IOException {
    List<JsonObject> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return entries;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(new JsonObject(line));
      } catch (DecodeException | ClassCastException torn) {
        // not acknowledged, not state
      }
    }
    return entries;
  }

  /** The newest {@code limit} entries, oldest first. */
  public List<JsonObject> tail(int limit) throws IOException {
    List<JsonObject> all = readAll();
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
