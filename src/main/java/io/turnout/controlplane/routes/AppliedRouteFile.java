package io.turnout.controlplane.routes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The text of this member's own route map file as it last applied it, kept beside the audit log
 * ({@code audit.jsonl} -> {@code audit.routes-applied.yaml}). It is what a file edit is a diff
 * against (an edit moves only the pointers whose {@code active} line changed since this text, also
 * an edit made while the node was down), and what the member starts on when its file is invalid.
 * Written whole: a temporary file, forced to disk, moved over the old one. Blocking: on a worker.
 */
public final class AppliedRouteFile {

  private final Path file;

  public AppliedRouteFile(Path file) {
    this.file = file;
  }

  /** The copy beside an audit log. */
  public static AppliedRouteFile besideAuditLog(Path auditFile) {
    String name = auditFile.getFileName().toString().replaceFirst("\\.jsonl$", "");
    return new AppliedRouteFile(auditFile.resolveSibling(name + ".routes-applied.yaml"));
  }

  public Path file() {
    return file;
  }

  /** The text last applied, or null when there is none (a first start) or it cannot be read. */
  public String read() {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /** Replaces the copy with {@code text}, durably; an existing identical copy is left alone. */
  public void write(String text) throws IOException {
    if (text.equals(read())) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
