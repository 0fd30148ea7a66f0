package io.turnout.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the benchmark starts and must not leave behind: output goes to a log file (read back
 * when the child fails), and {@link #stop()} ends it, politely first, then by force.
 */
final class ChildProcess {

  /** Environment that would silently change what the children run or how: never inherited. */
  private static final List<String> SCRUBBED_ENV =
      List.of("TURNOUT_HTTP_PORT", "TURNOUT_CONF_DIR", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The {@code java} binary running this JVM, so that children run the very same runtime. */
  static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Starts {@code command}; stdout and stderr both go to {@code log}. */
  static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    SCRUBBED_ENV.forEach(env::remove);
    return new ChildProcess(name, builder.start(), log);
  }

  /** Runs a short command to completion and returns its combined output (e.g. {@code java -version}). */
  static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    SCRUBBED_ENV.forEach(builder.environment()::remove);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return out.trim();
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The last {@code lines} lines of the child's output, to show why it failed. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException e) {
      return "(cannot read " + log + ")";
    }
  }

  /**
   * SIGTERM (the node closes Vert.x in its shutdown hook), then SIGKILL if it is still there after
   * 30 s (a node writing a class-data archive at exit, {@code -XX:ArchiveClassesAtExit}, needs a while).
   */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
