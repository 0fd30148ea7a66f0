package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

/**
 * {@code probe run VERSION} and {@code probe latest VERSION}: a version's preflight probes as a
 * table, the failing ones first; exit 4 when any failed (the node answers 200 either way).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, subcommands = {ProbeCommand.Run.class, ProbeCommand.Latest.class},
    description = "Preflight contract probes of a route version.")
final class ProbeCommand extends Group {

  private ProbeCommand() {}

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a version's probes from the node (may take a while) and show them, the failing ones first.")
  static final class Run implements Callable<Integer> {
    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VERSION", description = "The route version.")
    String version;

    Run(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      JsonObject run = Target.of(spec).client(io).post("/admin/probes/run", new JsonObject().put("route_version", version),
          AdminClient.LONG_TIMEOUT);
      return show(io, Target.of(spec).output(io), run);
    }
  }

  @Command(name = "latest", mixinStandardHelpOptions = true, description = "Show a version's latest probe run (from any member).")
  static final class Latest implements Callable<Integer> {
    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VERSION", description = "The route version.")
    String version;

    Latest(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return show(io, Target.of(spec).output(io), Target.of(spec).client(io).get("/admin/probes/" + AdminClient.segment(version)));
    }
  }

  static int show(CliIo io, Output output, JsonObject run) {
    boolean passed = run.getBoolean("passed", false);
    List<JsonObject> probes = Fmt.objects(run.getJsonArray("probes")).stream()
        .sorted(Comparator.comparing((JsonObject p) -> p.getBoolean("passed", false))).toList();
    output.show(run, () -> {
      long failed = probes.stream().filter(p -> !p.getBoolean("passed", false)).count();
      io.out().println("probe run " + run.getString("run_id") + " of " + run.getString("route_version") + " at "
          + run.getString("time") + " by " + run.getString("operator") + ": "
          + (passed ? "PASSED" : "FAILED (" + failed + " of " + probes.size() + " probes)"));
      Table table = new Table("result", "probe", "provider", "role", "error_class", "latency_ms", "detail");
      probes.forEach(p -> table.row(p.getBoolean("passed", false) ? "pass" : "FAIL", p.getString("name"),
          p.getString("provider"), p.getString("role"), p.getString("error_class"), p.getValue("latency_ms"),
          p.getString("detail")));
      table.print(io.out());
    });
    return passed ? Exit.OK : Exit.BLOCKED;
  }
}
