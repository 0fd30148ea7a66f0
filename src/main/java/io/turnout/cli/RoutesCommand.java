package io.turnout.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routes}: the route map's versions (which are active where), and {@code routes diff
 * VERSION} (or {@code routes --diff VERSION}): a version against its rollback version, field by
 * field, from {@code GET /admin/routes}.
 */
@Command(name = "routes", mixinStandardHelpOptions = true, subcommands = RoutesCommand.Diff.class,
    description = "Route versions: mode, providers, canary share, rollback version, where active.")
final class RoutesCommand implements Callable<Integer> {

  private final CliIo io;

  @Spec
  CommandSpec spec;

  @Option(names = "--diff", paramLabel = "VERSION", description = "Compare VERSION with its rollback version instead.")
  String diff;

  RoutesCommand(CliIo io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    JsonObject routes = Target.of(spec).client(io).get("/admin/routes");
    if (diff != null) {
      return Diff.show(io, Target.of(spec), routes, diff);
    }
    Map<String, List<String>> activeIn = new LinkedHashMap<>();
    for (JsonObject p : Fmt.objects(routes.getJsonArray("pointers"))) {
      activeIn.computeIfAbsent(p.getString("route_version"), v -> new ArrayList<>()).add(Fmt.scope(p));
    }
    Target.of(spec).output(io).show(routes, () -> {
      Table table = new Table("version", "alias", "cohort", "env", "mode", "primary", "fallback", "canary",
          "rollback", "expires", "active");
      versions(routes).values().forEach(r -> table.row(r.getString("route_version"), r.getString("model_alias"),
          r.getString("tenant_or_cohort"), r.getString("environment"), r.getString("mode"),
          r.getString("primary_provider"), r.getString("fallback_provider"), Fmt.share(r.getValue("canary_share")),
          r.getString("rollback_route_version"), r.getString("expires_at"),
          String.join(" ", activeIn.getOrDefault(r.getString("route_version"), List.of()))));
      table.print(io.out());
      JsonObject rejection = routes.getJsonObject("last_rejection");
      if (rejection != null) {
        io.out().println("last refused route map edit: " + rejection.encode());
      }
    });
    return Exit.OK;
  }

  /** The route map's versions by name, in file order. */
  static Map<String, JsonObject> versions(JsonObject routes) {
    Map<String, JsonObject> versions = new LinkedHashMap<>();
    JsonObject map = routes.getJsonObject("route_map", new JsonObject());
    for (JsonObject r : Fmt.objects(map.getJsonArray("routes", new JsonArray()))) {
      versions.put(r.getString("route_version"), r);
    }
    return versions;
  }

  /** {@code routes diff VERSION}. */
  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = "Compare a route version with its rollback version, field by field (the fields that differ).")
  static final class Diff implements Callable<Integer> {

    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VERSION", description = "The route version.")
    String version;

    Diff(CliIo io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return show(io, Target.of(spec), Target.of(spec).client(io).get("/admin/routes"), version);
    }

    static int show(CliIo io, Target target, JsonObject routes, String version) {
      Map<String, JsonObject> versions = versions(routes);
      JsonObject route = versions.get(version);
      if (route == null) {
        throw new CliFailure(Exit.REFUSED, "no route version " + version + " in the route map");
      }
      String rollbackName = route.getString("rollback_route_version");
      JsonObject rollback = versions.getOrDefault(rollbackName, new JsonObject());
      Map<String, Object> a = flat(route);
      Map<String, Object> b = flat(rollback);
      Set<String> fields = new LinkedHashSet<>(a.keySet());
      fields.addAll(b.keySet());
      JsonArray changed = new JsonArray();
      int same = 0;
      for (String field : fields) {
        if (Objects.equals(a.get(field), b.get(field))) {
          same++;
        } else {
          changed.add(new JsonObject().put("field", field).put(version, a.get(field)).put(rollbackName, b.get(field)));
        }
      }
      int equal = same;
      target.output(io).show(new JsonObject().put("route_version", version).put("rollback_route_version", rollbackName)
          .put("differences", changed).put("same_fields", equal), () -> {
            if (version.equals(rollbackName)) {
              io.out().println(version + " rolls back to itself (a baseline): nothing to compare");
              return;
            }
            io.out().println(version + " against its rollback version " + rollbackName + ": " + changed.size()
                + " field(s) differ, " + equal + " the same");
            Table table = new Table("field", version, rollbackName);
            Fmt.objects(changed).forEach(c -> table.row(c.getString("field"), Fmt.cell(c.getValue(version)),
                Fmt.cell(c.getValue(rollbackName))));
            table.print(io.out());
          });
      return Exit.OK;
    }

    /** Nested objects flattened to dotted field paths; lists stay whole. */
    static Map<String, Object> flat(JsonObject json) {
      Map<String, Object> out = new LinkedHashMap<>();
      flatten("", json, out);
      return out;
    }

    private static void flatten(String prefix, JsonObject json, Map<String, Object> out) {
      for (String key : json.fieldNames()) {
        Object value = json.getValue(key);
        if (value instanceof JsonObject nested) {
          flatten(prefix + key + ".", nested, out);
        } else if (value != null) {
          out.put(prefix + key, value);
        }
      }
    }
  }
}
