package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gates}: the latest verdicts (breaches first) and the latest gate actions, from {@code GET /admin/gates}. */
@Command(name = "gates", mixinStandardHelpOptions = true,
    description = "Gate verdicts per scope (breaches first) with value, threshold and samples, and the latest gate actions.")
final class GatesCommand implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  GatesCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    JsonObject gates = Target.of(spec).client(io).get("/admin/gates");
    Target.of(spec).output(io).show(gates, () -> {
      io.out().println("gates " + (Boolean.FALSE.equals(gates.getValue("enabled")) ? "DISABLED" : "enabled")
          + ", members reporting: " + gates.getValue("members_reporting"));
      List<JsonObject> verdicts = Fmt.objects(gates.getJsonArray("verdicts")).stream()
          .sorted(Comparator.comparingInt(GatesCommand::rank)).toList();
      Table table = new Table("scope", "version", "gate", "state", "value", "threshold", "samples", "action");
      verdicts.forEach(v -> table.row(Fmt.scope(v.getJsonObject("scope")), v.getString("route_version"),
          v.getString("gate"), v.getString("state", "").toUpperCase(java.util.Locale.ROOT),
          Fmt.number(v.getValue("value")), "> " + Fmt.number(v.getValue("threshold")),
          v.getValue("samples") + "/" + v.getValue("min_samples"),
          v.getString("action") + (Boolean.TRUE.equals(v.getValue("dry_run")) ? " (dry run)" : "")));
      table.print(io.out());
      List<JsonObject> actions = Fmt.objects(gates.getJsonArray("actions"));
      io.out().println();
      io.out().println(actions.isEmpty() ? "no gate actions" : "latest gate actions:");
      if (!actions.isEmpty()) {
        Table acted = new Table("time", "operator", "decision", "scope", "from", "to", "reason");
        actions.forEach(a -> acted.row(a.getString("time"), a.getString("operator"), a.getString("decision"),
            Fmt.scope(a.getJsonObject("scope")), a.getString("from"), a.getString("to"), a.getString("reason")));
        acted.print(io.out());
      }
    });
    return Exit.OK;
  }

  private static int rank(JsonObject verdict) {
    return switch (verdict.getString("state", "")) {
      case "breach" -> 0;
      case "inconclusive" -> 1;
      default -> 2;
    };
  }
}
