package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drill}: cutover drills through {@code /admin/drills}: start, list, approve, abort,
 * report, watch, and run (start and walk every step).
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
    subcommands = {DrillCommands.Start.class, DrillCommands.ListDrills.class, DrillApprove.class, DrillCommands.Abort.class,
        DrillCommands.Report.class, DrillWatch.class, DrillRun.class},
    description = "Cutover drills: prove the rollback before relying on the fallback route.")
final class DrillCommands extends Group {

  /** The options of {@code POST /admin/drills}, shared by {@code drill start} and {@code drill run}. */
  static final class StartOptions {
    @Parameters(index = "0", paramLabel = "ALIAS", description = "The model alias of the drilled scope.")
    String alias;

    @Option(names = "--canary", required = true, paramLabel = "VERSION", description = "The canary version (on the fallback route).")
    String canary;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded; also each approval's reason in 'drill run').")
    String reason;

    @Option(names = "--cohort", paramLabel = "TENANT_OR_COHORT", description = "The scope's tenant or cohort (default: '*').")
    String cohort;

    @Option(names = "--environment", paramLabel = "ENV", description = "The scope's environment (default: the node's).")
    String environment;

    @Option(names = "--internal-version", paramLabel = "VERSION", description = "The internal cohort's version for the internal step.")
    String internalVersion;

    @Option(names = "--internal-cohort", paramLabel = "COHORT", description = "The internal cohort (default: internal).")
    String internalCohort;

    JsonObject body() {
      JsonObject body = new JsonObject().put("model_alias", alias).put("canary_version", canary).put("reason", reason);
      putIf(body, "tenant_or_cohort", cohort);
      putIf(body, "environment", environment);
      putIf(body, "internal_version", internalVersion);
      putIf(body, "internal_cohort", internalCohort);
      return body;
    }

    private static void putIf(JsonObject body, String key, String value) {
      if (value != null) {
        body.put(key, value);
      }
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a drill at 'prepared'.")
  static final class Start implements Callable<Integer> {
    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Mixin
    StartOptions options;

    Start(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      JsonObject drill = Target.of(spec).client(io).post("/admin/drills", options.body());
      Target.of(spec).output(io).show(drill, () -> {
        io.out().println(DrillView.headline(drill));
        io.out().println("next: drill approve " + drill.getString("id") + " --reason ... (runs step "
            + DrillView.nextStep(drill) + ")");
      });
      return Exit.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every drill with its step and status.")
  static final class ListDrills implements Callable<Integer> {
    private final CliIo io;

    @Spec
    CommandSpec spec;

    ListDrills(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      JsonObject drills = Target.of(spec).client(io).get("/admin/drills");
      Target.of(spec).output(io).show(drills, () -> {
        Table table = new Table("id", "scope", "step", "status", "started_at");
        Fmt.objects(drills.getJsonArray("drills")).forEach(d -> table.row(d.getString("id"),
            Fmt.scope(d.getJsonObject("scope")), d.getString("step"), d.getString("status"), d.getString("started_at")));
        table.print(io.out());
      });
      return Exit.OK;
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "End a drill, returning traffic if its canary or internal step had moved it.")
  static final class Abort implements Callable<Integer> {
    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The drill id.")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded).")
    String reason;

    Abort(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      JsonObject drill = Target.of(spec).client(io).post("/admin/drills/" + AdminClient.segment(id) + "/abort", new JsonObject().put("reason", reason),
          AdminClient.LONG_TIMEOUT);
      Target.of(spec).output(io).show(drill, () -> {
        io.out().println(DrillView.headline(drill));
        JsonObject abort = drill.getJsonObject("abort", new JsonObject());
        io.out().println("aborted during " + abort.getString("during") + " by " + abort.getString("by") + ": "
            + abort.getString("traffic"));
      });
      return Exit.OK;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "The drill's evidence report in the terminal, or saved as the node's HTML report.")
  static final class Report implements Callable<Integer> {
    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The drill id.")
    String id;

    @Option(names = "--html", paramLabel = "FILE", description = "Save the HTML report (GET /admin/drills/<id>/report) to FILE.")
    Path html;

    Report(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      AdminClient client = Target.of(spec).client(io);
      if (html != null) {
        String page = client.getText("/admin/drills/" + AdminClient.segment(id) + "/report");
        try {
          Files.writeString(html, page);
        } catch (IOException e) {
          throw new CliFailure(Exit.FAILED, "cannot write " + html + ": " + e.getMessage());
        }
        io.out().println("saved the report of drill " + id + " to " + html.toAbsolutePath());
        return Exit.OK;
      }
      JsonObject drill = client.get("/admin/drills/" + AdminClient.segment(id));
      Target.of(spec).output(io).show(drill, () -> {
        io.out().println(DrillView.headline(drill));
        io.out().println("started " + drill.getString("started_at") + " by " + drill.getString("started_by") + ": "
            + drill.getString("reason"));
        JsonObject decision = drill.getJsonObject("evidence", new JsonObject()).getJsonObject("rollback_decision");
        if (decision != null) {
          io.out().println("rollback decision: " + decision.getString("decision") + " by " + decision.getString("by")
              + ": " + decision.getString("reason"));
        }
        io.out().println();
        DrillView.evidence(io.out(), drill);
      });
      return Exit.OK;
    }
  }
}
