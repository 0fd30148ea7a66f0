package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drill approve ID --reason R [--yes]}: shows the drill's current step, its evidence and
 * what the approval will do and check, asks y/N (unless {@code --yes}), then approves exactly that
 * step ({@code expected_step}: if the drill moved on meanwhile the node refuses, 409).
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = {"Approve a drill's next step after showing its evidence and the checks it runs.",
        "Exit 4 when the step blocked or the prompt was declined (then nothing is sent)."})
final class DrillApprove implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The drill id.")
  String id;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded with the approval).")
  String reason;

  @Option(names = {"-y", "--yes"}, description = "Do not ask: approve at once.")
  boolean yes;

  DrillApprove(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    AdminClient client = Target.of(spec).client(io);
    Output output = Target.of(spec).output(io);
    JsonObject drill = client.get("/admin/drills/" + AdminClient.segment(id));
    if (!output.json()) {
      io.out().println(DrillView.headline(drill));
      DrillView.evidence(io.out(), drill);
      io.out().println();
    }
    return approve(io, client, output, drill, reason, yes).exitCode();
  }

  /** An approval's outcome: the drill after it (null when declined) and the exit status. */
  record Outcome(JsonObject drill, int exitCode) {}

  /**
   * Approves {@code drill}'s next step, asking first unless {@code yes}; the drill as the node
   * answered. Declined: nothing is sent, {@link Exit#BLOCKED}.
   */
  static Outcome approve(CliIo io, AdminClient client, Output output, JsonObject drill, String reason, boolean yes) {
    String id = drill.getString("id");
    String next = DrillView.nextStep(drill);
    if (next == null) {
      throw new CliFailure(Exit.REFUSED, "drill " + id + " has ended (" + drill.getString("step") + "): nothing to approve");
    }
    if ("running".equals(drill.getString("status"))) {
      throw new CliFailure(Exit.REFUSED, "a step of drill " + id + " is running; approve when it has ended");
    }
    List<String> checks = DrillView.nextChecks(drill);
    var text = output.json() ? io.err() : io.out();
    text.println("Approving runs step " + next + (DrillView.blocked(drill) ? " again (it blocked)" : "") + ":");
    checks.forEach(c -> text.println("  - " + c));
    text.flush();
    if (!yes && !io.confirm("Approve step " + next + " of drill " + id + "?")) {
      io.err().println("declined: nothing was sent; drill " + id + " stays at " + drill.getString("step"));
      return new Outcome(null, Exit.BLOCKED);
    }
    JsonObject after = client.post("/admin/drills/" + AdminClient.segment(id) + "/advance",
        new JsonObject().put("reason", reason).put("expected_step", next), AdminClient.LONG_TIMEOUT);
    output.show(after, () -> {
      List<JsonObject> steps = Fmt.objects(after.getJsonArray("steps"));
      JsonObject last = steps.isEmpty() ? new JsonObject() : steps.get(steps.size() - 1);
      io.out().println(next + ": " + (last.getBoolean("passed", false) ? "done" : "BLOCKED") + ": "
          + last.getString("detail"));
      io.out().println(DrillView.headline(after));
    });
    return new Outcome(after, DrillView.blocked(after) ? Exit.BLOCKED : Exit.OK);
  }
}
