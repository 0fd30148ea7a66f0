package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drill watch ID}: polls the drill and prints a line for each change (step, status,
 * reason) until it ends (exit 0 complete, 4 aborted) or blocks (4), or {@code --timeout} passes (1).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Print each change of a drill until it ends or blocks.",
        "Exit 0 when complete, 4 when blocked or aborted, 1 when --timeout passed first."})
final class DrillWatch implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The drill id.")
  String id;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "PT2S",
      description = "How often to poll, ISO-8601 (default: ${DEFAULT-VALUE}; e.g. PT0.5S).")
  Duration interval;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  DrillWatch(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws InterruptedException {
    AdminClient client = Target.of(spec).client(io);
    Output output = Target.of(spec).output(io);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (true) {
      JsonObject drill = client.get("/admin/drills/" + AdminClient.segment(id));
      String state = drill.getString("step") + " " + drill.getString("status") + " " + drill.getString("blocked_reason")
          + " " + drill.getJsonArray("steps", new io.vertx.core.json.JsonArray()).size();
      if (!state.equals(last)) {
        last = state;
        JsonObject change = new JsonObject().put("time", java.time.Instant.now().toString()).put("id", id)
            .put("step", drill.getString("step")).put("status", drill.getString("status"))
            .put("blocked_reason", drill.getString("blocked_reason")).put("next_step", DrillView.nextStep(drill));
        // One line per change in both formats: JSON lines for scripts.
        if (output.json()) {
          io.out().println(change.encode());
        } else {
          io.out().println(change.getString("time") + "  " + DrillView.headline(drill)
              + (DrillView.nextStep(drill) == null ? "" : "; next approval runs " + DrillView.nextStep(drill)));
        }
        io.out().flush();
      }
      if (DrillView.ended(drill)) {
        return "complete".equals(drill.getString("step")) ? Exit.OK : Exit.BLOCKED;
      }
      if (DrillView.blocked(drill)) {
        return Exit.BLOCKED;
      }
      if (System.nanoTime() >= deadline) {
        io.err().println("turnout: drill " + id + " still at " + drill.getString("step") + " (" + drill.getString("status")
            + ") after " + timeout);
        return Exit.FAILED;
      }
      Thread.sleep(Math.max(10, Math.min(interval.toMillis(), (deadline - System.nanoTime()) / 1_000_000 + 1)));
    }
  }
}
