package io.turnout.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code status}: one row per active scope, joining {@code GET /admin/routes} (pointer, version,
 * mode, canary share in force, freeze/pause, members' applied revisions) with
 * {@code GET /admin/gates} (the worst verdict of the scope's gates on its active version).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Scopes with their active version, mode, canary share, gate verdict and the members' revisions.")
final class StatusCommand implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  StatusCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    AdminClient client = Target.of(spec).client(io);
    JsonObject routes = client.get("/admin/routes");
    JsonObject gates = client.get("/admin/gates");
    List<JsonObject> rows = rows(routes, gates);
    Target.of(spec).output(io).show(new JsonObject().put("revision", routes.getValue("revision"))
        .put("scopes", new JsonArray(new ArrayList<>(rows))), () -> {
          io.out().println("revision " + routes.getValue("revision") + " on " + Fmt.member(routes.getString("node"))
              + " (" + routes.getString("environment") + "), members: " + members(routes)
              + (Boolean.FALSE.equals(routes.getValue("joined"))
                  ? "; NOT JOINED: serving its own state, refusing changes until it joins the cluster's" : ""));
          Table table = new Table("scope", "version", "mode", "canary", "control", "gates", "members");
          rows.forEach(r -> table.row(r.getString("scope"), r.getString("route_version"), r.getString("mode"),
              Fmt.share(r.getValue("canary_share")), r.getString("control"), r.getString("gates"),
              r.getString("members")));
          table.print(io.out());
        });
    return Exit.OK;
  }

  static List<JsonObject> rows(JsonObject routes, JsonObject gates) {
    Map<String, JsonObject> versions = RoutesCommand.versions(routes);
    String members = members(routes);
    List<JsonObject> rows = new ArrayList<>();
    for (JsonObject pointer : Fmt.objects(routes.getJsonArray("pointers"))) {
      String version = pointer.getString("route_version");
      JsonObject route = versions.getOrDefault(version, new JsonObject());
      Object share = pointer.getValue("canary_share", route.getValue("canary_share"));
      rows.add(new JsonObject().put("scope", Fmt.scope(pointer)).put("route_version", version)
          .put("mode", route.getString("mode")).put("canary_share", share).put("control", control(pointer))
          .put("gates", verdict(gates, pointer, version)).put("members", members));
    }
    return rows;
  }

  /** What holds the scope: {@code frozen}, {@code paused: why}, or {@code -}. */
  private static String control(JsonObject pointer) {
    List<String> parts = new ArrayList<>();
    if (pointer.getValue("paused") != null) {
      parts.add("PAUSED: " + pointer.getValue("paused"));
    } else if (Boolean.TRUE.equals(pointer.getValue("frozen"))) {
      parts.add("FROZEN");
    }
    if (pointer.getValue("held_by") != null) {
      parts.add("by " + pointer.getValue("held_by"));
    }
    return String.join(" ", parts);
  }

  /** The worst verdict of the scope's gates on its version: breach > inconclusive > pass, with the gates' names. */
  static String verdict(JsonObject gates, JsonObject scope, String version) {
    List<String> breach = new ArrayList<>();
    int inconclusive = 0;
    int pass = 0;
    for (JsonObject v : Fmt.objects(gates.getJsonArray("verdicts"))) {
      if (!Fmt.scope(scope).equals(Fmt.scope(v.getJsonObject("scope"))) || !version.equals(v.getString("route_version"))) {
        continue;
      }
      switch (v.getString("state", "")) {
        case "breach" -> breach.add(v.getString("gate") + (Boolean.TRUE.equals(v.getValue("dry_run")) ? " (dry run)" : ""));
        case "inconclusive" -> inconclusive++;
        case "pass" -> pass++;
        default -> { }
      }
    }
    if (!breach.isEmpty()) {
      return "BREACH " + String.join(",", breach);
    }
    if (inconclusive + pass == 0) {
      return "no verdicts";
    }
    return (inconclusive > 0 ? "inconclusive " + inconclusive + ", " : "") + "pass " + pass;
  }

  /** {@code all 2 at r7}, or which members are behind. */
  static String members(JsonObject routes) {
    JsonObject members = routes.getJsonObject("members", new JsonObject());
    Object revision = routes.getValue("revision");
    List<String> behind = new ArrayList<>();
    for (String id : members.fieldNames()) {
      Object applied = members.getJsonObject(id).getValue("revision");
      if (!String.valueOf(applied).equals(String.valueOf(revision))) {
        behind.add(Fmt.member(id) + " at r" + applied);
      }
    }
    return behind.isEmpty() ? "all " + members.size() + " at r" + revision
        : (members.size() - behind.size()) + "/" + members.size() + " at r" + revision + "; " + String.join(", ", behind);
  }
}
