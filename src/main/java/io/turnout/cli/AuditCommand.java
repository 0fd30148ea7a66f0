package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code audit [--limit N] [--cluster]}: the newest route changes of {@code GET /admin/audit}, oldest
 * first; with {@code --cluster}, every member's log merged into one history, with the members whose
 * logs hold each change.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The newest entries of the route audit log: who moved which scope from what to what, and why.")
final class AuditCommand implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many entries (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--cluster", description = "Every member's log merged into one history (who saw each change).")
  boolean cluster;

  AuditCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    JsonObject audit = Target.of(spec).client(io).get("/admin/audit?limit=" + limit + (cluster ? "&cluster=true" : ""));
    Target.of(spec).output(io).show(audit, () -> {
      Table table = cluster
          ? new Table("time", "revision", "action", "operator", "scope", "from", "to", "reason", "member", "seen on")
          : new Table("time", "revision", "action", "operator", "scope", "from", "to", "reason");
      for (JsonObject e : Fmt.objects(audit.getJsonArray("entries"))) {
        boolean adopted = "adopted".equals(e.getString("action"));
        String action = (adopted ? e.getString("change_action", "join") + " (adopted)" : e.getString("action"))
            + (Boolean.TRUE.equals(e.getValue("forced")) ? " (forced)" : "");
        JsonObject moved = firstMove(e);
        Object[] row = {adopted ? e.getString("changed_at", e.getString("time")) : e.getString("time"),
            e.getValue("revision"), action, e.getString("operator"),
            Fmt.scope(moved != null ? moved : e.getJsonObject("scope")), moved != null ? moved.getString("from")
            : e.getString("from"), moved != null ? moved.getString("to") : e.getString("to"), e.getString("reason")};
        if (cluster) {
          table.row(append(row, adopted ? e.getString("changed_on") : e.getString("node"),
              String.join(",", Fmt.strings(e.getJsonArray("seen_on")))));
        } else {
          table.row(row);
        }
      }
      table.print(io.out());
      if (cluster) {
        audit.getJsonObject("members", new JsonObject()).forEach(m -> {
          if ("unreachable".equals(m.getValue())) {
            io.out().println("member " + m.getKey() + " did not answer: its log is not in this history");
          }
        });
      }
    });
    return Exit.OK;
  }

  /** A file edit's first moved pointer ({@code changes[0]}: scope, from, to), or null. */
  private static JsonObject firstMove(JsonObject entry) {
    var changes = entry.getJsonArray("changes");
    return changes == null || changes.isEmpty() ? null : changes.getJsonObject(0);
  }

  private static Object[] append(Object[] row, Object... more) {
    Object[] all = java.util.Arrays.copyOf(row, row.length + more.length);
    System.arraycopy(more, 0, all, row.length, more.length);
    return all;
  }
}
