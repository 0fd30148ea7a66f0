package io.turnout.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time (user + system) of a Linux process, read from {@code /proc/<pid>/stat}, and split by
 * the kind of JVM thread that spent it, from {@code /proc/<pid>/task/<tid>/stat}. The kernel
 * counts in clock ticks, usually 100 per second: one reading is only good to 10 ms, so callers
 * measure spans of hundreds of milliseconds and add them up.
 *
 * <p>The split matters for a short run: JIT compiler threads may still be busy after the
 * warm-up, and their CPU is a one-off cost, not a per-request one.
 */
final class ProcCpu {

  /**
   * CPU nanoseconds of the whole process, of its event loops, JIT compilers and GC threads, and
   * how much of the whole was spent in the kernel (system time: for a proxy mostly loopback TCP).
   */
  record Sample(long total, long eventLoops, long jit, long gc, long kernel) {

    /** Everything not in the three named groups (VM thread, timers, the main thread, threads that exited). */
    long other() {
      return total - eventLoops - jit - gc;
    }

    Sample minus(Sample earlier) {
      return new Sample(total - earlier.total, eventLoops - earlier.eventLoops, jit - earlier.jit, gc - earlier.gc,
          kernel - earlier.kernel);
    }

    Sample plus(Sample other) {
      return new Sample(total + other.total, eventLoops + other.eventLoops, jit + other.jit, gc + other.gc,
          kernel + other.kernel);
    }
  }

  static final Sample ZERO = new Sample(0, 0, 0, 0, 0);

  private static final long DEFAULT_TICKS_PER_SECOND = 100;

  private final Path proc;
  private final long nanosPerTick;

  private ProcCpu(long pid, long ticksPerSecond) {
    this.proc = Path.of("/proc", Long.toString(pid));
    this.nanosPerTick = TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
  }

  /** The CPU clock of process {@code pid}. */
  static ProcCpu of(long pid, long ticksPerSecond) {
    return new ProcCpu(pid, ticksPerSecond);
  }

  /** Clock ticks per second from {@code getconf CLK_TCK}, or 100 when that cannot be run. */
  static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        long ticks = Long.parseLong(out);
        if (ticks > 0) {
          return ticks;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_TICKS_PER_SECOND;
  }

  /** utime + stime of the whole process so far (all threads, also those that exited), in nanoseconds. */
  long cpuNanos() {
    return ticks(processStat()) * nanosPerTick;
  }

  /** The process total and its split by thread kind, by HotSpot's and Vert.x's thread names. */
  Sample sample() {
    long eventLoops = 0;
    long jit = 0;
    long gc = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException exited) {
          continue;
        }
        long ticks = ticks(stat);
        // The thread name is field 2, in parentheses, cut to 15 characters by the kernel.
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("vert.x-eventloo")) {
          eventLoops += ticks;
        } else if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          jit += ticks;
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += ticks;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + proc.resolve("task"), e);
    }
    // Read the total last: it then covers at least what the threads were seen to spend.
    String stat = processStat();
    return new Sample(ticks(stat) * nanosPerTick, eventLoops * nanosPerTick, jit * nanosPerTick, gc * nanosPerTick,
        Long.parseLong(fields(stat)[12]) * nanosPerTick);
  }

  /** Resident set size now (VmRSS of /proc/<pid>/status), in bytes; -1 when it cannot be read. */
  long rssBytes() {
    try {
      for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone, or not Linux
    }
    return -1;
  }

  private String processStat() {
    try {
      return Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + proc.resolve("stat"), e);
    }
  }

  /** utime + stime. */
  private static long ticks(String stat) {
    String[] fields = fields(stat);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** The fields after the command name: [0] is field 3 (state), [11] field 14 (utime), [12] field 15 (stime). */
  private static String[] fields(String stat) {
    // The command name may hold spaces and parentheses: count fields after the last ')'.
    return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
  }
}
