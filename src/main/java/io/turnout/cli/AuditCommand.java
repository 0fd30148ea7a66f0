package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code audit [--limit N]}: the newest route changes of {@code GET /admin/audit}, oldest first. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The newest entries of the route audit log: who moved which scope from what to what, and why.")
final class AuditCommand implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many entries (default: ${DEFAULT-VALUE}).")
  int limit;

  AuditCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    JsonObject audit = Target.of(spec).client(io).get("/admin/audit?limit=" + limit);
    Target.of(spec).output(io).show(audit, () -> {
      Table table = new Table("time", "revision", "action", "operator", "scope", "from", "to", "reason");
      for (JsonObject e : Fmt.objects(audit.getJsonArray("entries"))) {
        String action = e.getString("action") + (Boolean.TRUE.equals(e.getValue("forced")) ? " (forced)" : "");
        table.row(e.getString("time"), e.getValue("revision"), action, e.getString("operator"),
            Fmt.scope(e.getJsonObject("scope")), e.getString("from"), e.getString("to"), e.getString("reason"));
      }
      table.print(io.out());
    });
    return Exit.OK;
  }
}
