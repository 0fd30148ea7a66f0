package io.turnout.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top allocation sites of a JFR recording, by sampled weight ({@code jdk.ObjectAllocationSample}):
 * once by the allocating frame with the allocated class, once by the first Turnout frame on the
 * stack (which of the node's own code paths the bytes are charged to). Prints Markdown tables.
 * With a third argument {@code cpu}, the same for CPU samples ({@code jdk.ExecutionSample},
 * counted, not weighed; the "MB" column is then thousands of samples).
 *
 * <pre>
 * java -cp "target/turnout.jar:target/test-classes" io.turnout.bench.JfrAllocations node.jfr [TOP [cpu]]
 * </pre>
 */
public final class JfrAllocations {

  private static final String OWN = "io.turnout.";

  private JfrAllocations() {}

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    boolean cpu = args.length > 2 && args[2].equals("cpu");
    String wanted = cpu ? "jdk.ExecutionSample" : "jdk.ObjectAllocationSample";
    Map<String, Long> bySite = new HashMap<>();
    Map<String, Long> byOwnFrame = new HashMap<>();
    long total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals(wanted)) {
        continue;
      }
      long weight = cpu ? 1 : event.getLong("weight");
      total += weight;
      RecordedStackTrace stack = event.getStackTrace();
      List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
      String type = cpu ? "CPU" : event.getClass("objectClass").getName();
      bySite.merge(type + " ← " + (frames.isEmpty() ? "?" : name(frames.get(0))), weight, Long::sum);
      String own = frames.stream().map(JfrAllocations::name).filter(n -> n.startsWith(OWN)).findFirst()
          .orElse("(no Turnout frame: Vert.x, Netty, JDK)");
      byOwnFrame.merge(own.substring(own.startsWith(OWN) ? OWN.length() : 0), weight, Long::sum);
    }
    System.out.printf(Locale.ROOT, cpu ? "CPU samples: %,.0f%n%n" : "Sampled allocation weight: %,.1f MB%n%n",
        cpu ? total : total / 1e6);
    print("allocated class ← allocating frame", bySite, total, top);
    print("first Turnout frame on the stack", byOwnFrame, total, top);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> weights, long total, int top) {
    System.out.println("| " + title + " | MB | share |\n|---|---:|---:|");
    weights.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "| `%s` | %,.1f | %.1f%% |%n", e.getKey(), e.getValue() / 1e6,
            100.0 * e.getValue() / Math.max(1, total)));
    System.out.println();
  }
}
