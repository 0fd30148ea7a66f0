package io.turnout.controlplane.routes;

import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import io.turnout.controlplane.CommandRefusal;

/**
 * A command to the route control plane ({@link RouteCommands#ADDRESS}), typed: one record per
 * action, each with exactly one JSON mapping ({@link #toJson()}, {@link #fromJson(JsonObject)}).
 * The admin API, the gates, drills and the handler all speak through these, so the wire shape is
 * written in one place. The JSON is the shape senders used before these types existed; fields a
 * command does not know are ignored.
 */
public sealed interface RouteCommand {

  /** The wire name of the action, the {@code action} field. */
  String action();

  /** The command as sent on the bus: {@code {action, ...}}; {@link #fromJson} reads it back to an equal command. */
  JsonObject toJson();

  /**
   * Reads a command.
   *
   * @throws CommandRefusal 400 naming the field at fault ({@code action}, {@code reason},
   *     {@code route_version}, ...) when the JSON is not a valid command
   */
  static RouteCommand fromJson(JsonObject json) {
    if (json == null) {
      throw CommandRefusal.invalid("", "a route command is a JSON object");
    }
    CommandFields f = new CommandFields(json);
    String action = json.getValue("action") instanceof String s ? s : "";
    return switch (action) {
      case Activate.ACTION -> new Activate(ScopeRef.read(f), f.text("route_version"), f.optText("operator"), f.reason(),
          f.optLong("expected_revision", -1), f.optBool("force", false), f.optText("drill"));
      case Rollback.ACTION -> new Rollback(ScopeRef.read(f), f.optText("operator"), f.reason(),
          f.optLong("expected_revision", -1));
      case Resume.ACTION -> new Resume(ScopeRef.read(f), f.optText("operator"), f.reason(), f.optShare("canary_share"),
          f.optLong("expected_revision", -1), f.optBool("force", false));
      case AutoFallbackOverride.ACTION -> new AutoFallbackOverride(ScopeRef.read(f), f.optText("operator"), f.reason(),
          f.requiredBool("enabled"), f.optLong("expected_revision", -1));
      case GateChange.ACTION -> GateChange.read(f, json);
      case Status.ACTION -> new Status();
      case Audit.ACTION -> new Audit((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
          f.optLong("limit", Audit.DEFAULT_LIMIT))), f.optBool("cluster", false));
      default -> throw CommandRefusal.invalid("action", "unknown action '" + action + "' (one of activate, rollback,"
          + " resume, auto_fallback, gate, status, audit)");
    };
  }

  /**
   * The scope a command acts on, as sent: {@code environment} may be left out for the receiving
   * node's own.
   */
  record ScopeRef(String environment, String tenantOrCohort, String modelAlias) {

    /** A scope naming its environment. */
    public static ScopeRef of(ScopeKey scope) {
      return new ScopeRef(scope.environment(), scope.tenantOrCohort(), scope.modelAlias());
    }

    /** The scope, in {@code defaultEnvironment} when the command named none. */
    public ScopeKey in(String defaultEnvironment) {
      return new ScopeKey(environment == null ? defaultEnvironment : environment, tenantOrCohort, modelAlias);
    }

    static ScopeRef read(CommandFields f) {
      String environment = f.optText("environment");
      if (environment != null && environment.isBlank()) {
        throw CommandRefusal.invalid("environment", "'environment' must not be blank");
      }
      return new ScopeRef(environment, f.text("tenant_or_cohort"), f.text("model_alias"));
    }

    JsonObject writeTo(JsonObject json) {
      if (environment != null) {
        json.put("environment", environment);
      }
      return json.put("tenant_or_cohort", tenantOrCohort).put("model_alias", modelAlias);
    }
  }

  /**
   * Moves a scope to a route version; {@code force} moves a frozen or paused scope forward anyway
   * (audited); {@code drill} names the drill that moves it (the change counts as the drill's), or null.
   */
  record Activate(ScopeRef scope, String routeVersion, String operator, String reason, long expectedRevision,
      boolean force, String drill) implements RouteCommand {
    public static final String ACTION = "activate";

    /** An activation that is no drill's. */
    public Activate(ScopeRef scope, String routeVersion, String operator, String reason, long expectedRevision,
        boolean force) {
      this(scope, routeVersion, operator, reason, expectedRevision, force, null);
    }

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = base(this, scope, operator, reason, expectedRevision).put("route_version", routeVersion);
      if (drill != null) {
        json.put("drill", drill);
      }
      return force ? json.put("force", true) : json;
    }
  }

  /**
   * Moves a scope to its active version's {@code rollback_route_version}, or to the alias's
   * {@code rollback_target} when the scope has no pointer.
   */
  record Rollback(ScopeRef scope, String operator, String reason, long expectedRevision) implements RouteCommand {
    public static final String ACTION = "rollback";

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      return base(this, scope, operator, reason, expectedRevision);
    }
  }

  /** Lifts a gate's freeze or pause; {@code canaryShare} (0-1, or null to keep) sets the canary share. */
  record Resume(ScopeRef scope, String operator, String reason, Double canaryShare, long expectedRevision,
      boolean force) implements RouteCommand {
    public static final String ACTION = "resume";

    /** A resume that does not force its way past a breaching gate. */
    public Resume(ScopeRef scope, String operator, String reason, Double canaryShare, long expectedRevision) {
      this(scope, operator, reason, canaryShare, expectedRevision, false);
    }

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = base(this, scope, operator, reason, expectedRevision);
      if (force) {
        json.put("force", true);
      }
      return canaryShare == null ? json : json.put("canary_share", canaryShare);
    }
  }

  /** Lets a scope fail over automatically without a clean drill on record ({@code enabled}), or withdraws that. */
  record AutoFallbackOverride(ScopeRef scope, String operator, String reason, boolean enabled, long expectedRevision)
      implements RouteCommand {
    public static final String ACTION = "auto_fallback";

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      return base(this, scope, operator, reason, expectedRevision).put("enabled", enabled);
    }
  }

  /**
   * A gate's change, made only on exactly {@code expectedRevision}: either a control held on the
   * scope ({@code control}) or a rollback to {@code rollbackTo}.
   *
   * @param decision the gate decision's wire name ({@code stop_expansion}, {@code rollback}, ...)
   * @param routeVersion the version the verdict was computed on
   * @param verdict the verdict, as {@code Verdict.toJson()}
   */
  record GateChange(ScopeRef scope, String gate, String decision, String routeVersion, long expectedRevision,
      String reason, ScopeControl control, String rollbackTo, JsonObject verdict) implements RouteCommand {
    public static final String ACTION = "gate";

    public GateChange {
      if ((control == null) == (rollbackTo == null)) {
        throw CommandRefusal.invalid(control == null ? "control" : "rollback_to",
            "a gate change holds a control or rolls back, exactly one of 'control' and 'rollback_to'");
      }
    }

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = scope.writeTo(new JsonObject().put("action", ACTION)).put("decision", decision)
          .put("route_version", routeVersion).put("expected_revision", expectedRevision).put("gate", gate)
          .put("reason", reason).put("verdict", verdict);
      return control != null ? json.put("control", control.toJson()) : json.put("rollback_to", rollbackTo);
    }

    static GateChange read(CommandFields f, JsonObject json) {
      ScopeRef scope = ScopeRef.read(f);
      String rollbackTo = f.optText("rollback_to");
      JsonObject controlJson = f.optObject("control");
      ScopeControl control = null;
      if (rollbackTo == null) {
        if (controlJson == null) {
          throw CommandRefusal.invalid("control", "a gate change needs 'control' or 'rollback_to'");
        }
        try {
          control = ScopeControl.fromJson(controlJson);
        } catch (RuntimeException bad) {
          throw CommandRefusal.invalid("control", "'control' is not a scope control: " + bad.getMessage());
        }
      } else if (rollbackTo.isBlank()) {
        throw CommandRefusal.invalid("rollback_to", "'rollback_to' must not be blank");
      }
      return new GateChange(scope, f.text("gate"), f.text("decision"), f.optText("route_version"),
          f.requiredLong("expected_revision"), f.optText("reason"), control, rollbackTo, f.optObject("verdict"));
    }
  }

  /** Asks for the revision, pointers, route map, last refused edit and members. */
  record Status() implements RouteCommand {
    public static final String ACTION = "status";

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("action", ACTION);
    }
  }

  /**
   * Asks for the newest {@code limit} audit entries (clamped to 1-1000): this member's log, or, with
   * {@code cluster}, every member's merged into one history.
   */
  record Audit(int limit, boolean cluster) implements RouteCommand {
    public static final String ACTION = "audit";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;

    /** The limit the handler applies: from 1 to {@link #MAX_LIMIT}. */
    public int clampedLimit() {
      return Math.max(1, Math.min(MAX_LIMIT, limit));
    }

    @Override
    public String action() {
      return ACTION;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("action", ACTION).put("limit", limit).put("cluster", cluster);
    }
  }

  private static JsonObject base(RouteCommand command, ScopeRef scope, String operator, String reason,
      long expectedRevision) {
    JsonObject json = scope.writeTo(new JsonObject().put("action", command.action()));
    if (operator != null) {
      json.put("operator", operator);
    }
    json.put("reason", reason);
    return expectedRevision >= 0 ? json.put("expected_revision", expectedRevision) : json;
  }
}
