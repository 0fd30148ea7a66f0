package io.turnout.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code activate}, {@code rollback} and {@code resume}: the route control plane's scope moves
 * ({@code POST /admin/scopes/<action>}), each with a required reason and an optional
 * {@code --expected-revision} (a compare-and-set: 409, exit 3, when the revision moved on).
 */
final class ScopeCommands {

  private ScopeCommands() {}

  /** The options every scope move shares. */
  abstract static class Move implements Callable<Integer> {

    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCOPE", description = "tenant_or_cohort/model_alias, e.g. '*/support-summary-v3'.")
    String scope;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (audited; required).")
    String reason;

    @Option(names = "--expected-revision", paramLabel = "N",
        description = "Only if the route state is still at revision N (else refused, nothing changes).")
    Long expectedRevision;

    @Option(names = "--environment", paramLabel = "ENV", description = "The scope's environment (default: the node's).")
    String environment;

    Move(CliIo io) {
      this.io = io;
    }

    abstract String action();

    /** Adds the action's own fields. */
    abstract void fill(JsonObject body);

    @Override
    public Integer call() {
      int slash = scope.indexOf('/');
      if (slash <= 0 || slash == scope.length() - 1) {
        throw new CliFailure(Exit.USAGE, "SCOPE must be tenant_or_cohort/model_alias (e.g. '*/support-summary-v3'), "
            + "not '" + scope + "'");
      }
      JsonObject body = new JsonObject().put("tenant_or_cohort", scope.substring(0, slash))
          .put("model_alias", scope.substring(slash + 1)).put("reason", reason);
      if (environment != null) {
        body.put("environment", environment);
      }
      if (expectedRevision != null) {
        body.put("expected_revision", expectedRevision);
      }
      fill(body);
      JsonObject entry = Target.of(spec).client(io).post("/admin/scopes/" + action(), body);
      Target.of(spec).output(io).show(entry, () -> io.out().println(action() + " " + Fmt.scope(entry.getJsonObject("scope"))
          + ": " + entry.getString("from") + " -> " + entry.getString("to") + " at revision " + entry.getValue("revision")
          + (Boolean.TRUE.equals(entry.getValue("forced")) ? " (forced)" : "") + " by " + entry.getString("operator")));
      return Exit.OK;
    }
  }

  @Command(name = "activate", mixinStandardHelpOptions = true,
      description = "Move a scope to a route version (with probes.required, it and its rollback version need passed probe runs).")
  static final class Activate extends Move {
    @Parameters(index = "1", paramLabel = "VERSION", description = "The route version to activate.")
    String version;

    @Option(names = "--force", description = "Activate a frozen or paused scope, or without passed probes (audited as forced).")
    boolean force;

    Activate(CliIo io) {
      super(io);
    }

    @Override
    String action() {
      return "activate";
    }

    @Override
    void fill(JsonObject body) {
      body.put("route_version", version);
      if (force) {
        body.put("force", true);
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Move a scope to its active version's rollback_route_version.")
  static final class Rollback extends Move {
    Rollback(CliIo io) {
      super(io);
    }

    @Override
    String action() {
      return "rollback";
    }

    @Override
    void fill(JsonObject body) {
      // nothing beyond the scope, the reason and the revision
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Lift a gate's freeze or pause on a scope (optionally setting the canary share in force).")
  static final class Resume extends Move {
    @Option(names = "--canary-share", paramLabel = "SHARE", description = "The canary share in force from now on (0..1).")
    Double canaryShare;

    @Option(names = "--force", description = "Resume a scope its gates see breaching (audited as forced).")
    boolean force;

    Resume(CliIo io) {
      super(io);
    }

    @Override
    String action() {
      return "resume";
    }

    @Override
    void fill(JsonObject body) {
      if (canaryShare != null) {
        body.put("canary_share", canaryShare);
      }
      if (force) {
        body.put("force", true);
      }
    }
  }
}
