package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code drill run ALIAS --canary VERSION --reason R [--yes]}: starts a drill and walks every
 * step, showing each approval's checks and asking y/N (unless {@code --yes}); stops with exit 4 at
 * the first blocked step or declined prompt, leaving the drill where it is (resume it with
 * {@code drill approve}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Start a drill and walk all its steps, prompting for each approval (unless --yes).",
        "Stops with exit 4 at a blocked step or a declined prompt; 0 when the drill is complete."})
final class DrillRun implements Callable<Integer> {

  /**
   * Steps that need traffic first: the rollback ends the canary phase (whose traffic is the drill's
   * evidence), the drain check and the re-enable judge traffic since the rollback settled. With
   * --settle each is approved only after that wait.
   */
  private static final Set<String> SETTLING = Set.of("rollback", "drain_check", "reenable");

  private final CliIo io;

  @Spec
  CommandSpec spec;

  @Mixin
  DrillCommands.StartOptions options;

  @Option(names = {"-y", "--yes"}, description = "Do not ask: approve every step at once.")
  boolean yes;

  @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "PT0S",
      description = {"Wait this long before the rollback, the drain check and the re-enable (ISO-8601, default ${DEFAULT-VALUE}):",
          "the canary takes traffic, then the checks judge traffic since the rollback settled;",
          "at least drills.drain_grace_ms + 2 x gates.bucket_ms."})
  Duration settle;

  DrillRun(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() throws InterruptedException {
    AdminClient client = Target.of(spec).client(io);
    Output output = Target.of(spec).output(io);
    JsonObject drill = client.post("/admin/drills", options.body());
    String id = drill.getString("id");
    progress(output, "started " + DrillView.headline(drill));
    while (!DrillView.ended(drill)) {
      String next = DrillView.nextStep(drill);
      if (next == null) {
        break;
      }
      if (SETTLING.contains(next) && !settle.isZero()) {
        progress(output, "waiting " + settle.toMillis() + " ms for traffic before " + next);
        Thread.sleep(settle.toMillis());
      }
      if (!output.json()) {
        // what the operator decides on: the drill's numbers so far, read afresh
        drill = client.get("/admin/drills/" + AdminClient.segment(id));
        DrillView.numbers(io.out(), drill);
      }
      DrillApprove.Outcome outcome = DrillApprove.approve(io, client, quiet(output), drill,
          options.reason + " (step " + next + ")", yes);
      if (outcome.drill() == null) {
        return stopped(output, client, id, "declined at " + next);
      }
      drill = outcome.drill();
      if (output.json()) {
        io.err().println(next + ": " + (DrillView.blocked(drill) ? "BLOCKED: " + drill.getString("blocked_reason") : "done"));
      }
      if (outcome.exitCode() != Exit.OK) {
        return stopped(output, client, id, "blocked at " + next);
      }
    }
    JsonObject end = drill;
    output.show(end, () -> io.out().println(DrillView.headline(end)));
    return "complete".equals(end.getString("step")) ? Exit.OK : Exit.BLOCKED;
  }

  /** Ends the run early: the drill as it stands, and how to carry on. */
  private int stopped(Output output, AdminClient client, String id, String why) {
    JsonObject drill = client.get("/admin/drills/" + AdminClient.segment(id));
    output.show(drill, () -> {
      io.out().println(DrillView.headline(drill));
      io.out().println("stopped (" + why + "): carry on with 'drill approve " + id + " --reason ...', or 'drill abort "
          + id + " --reason ...'");
    });
    return Exit.BLOCKED;
  }

  /** In JSON mode each step's reply is not printed: the run prints the final drill only. */
  private Output quiet(Output output) {
    return output.json() ? new Output(new java.io.PrintWriter(java.io.Writer.nullWriter()), true) : output;
  }

  private void progress(Output output, String line) {
    (output.json() ? io.err() : io.out()).println(line);
  }
}
