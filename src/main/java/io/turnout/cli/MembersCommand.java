package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code members}: each member's applied route revision against the cluster's ({@code GET /admin/routes}). */
@Command(name = "members", mixinStandardHelpOptions = true,
    description = "Cluster members and the route revision each one applied.")
final class MembersCommand implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  MembersCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    JsonObject routes = Target.of(spec).client(io).get("/admin/routes");
    JsonObject members = routes.getJsonObject("members", new JsonObject());
    Object revision = routes.getValue("revision");
    Target.of(spec).output(io).show(new JsonObject().put("revision", revision).put("node", routes.getString("node"))
        .put("members", members), () -> {
          io.out().println("cluster revision " + revision + "; answered by " + routes.getString("node"));
          Table table = new Table("member", "revision", "state", "acknowledged");
          for (String id : members.fieldNames()) {
            JsonObject m = members.getJsonObject(id);
            boolean current = String.valueOf(m.getValue("revision")).equals(String.valueOf(revision));
            table.row(id + (id.equals(routes.getString("node")) ? " (this node)" : ""), m.getValue("revision"),
                current ? "current" : "BEHIND", m.getString("time"));
          }
          table.print(io.out());
        });
    return Exit.OK;
  }
}
