package io.turnout.routes;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The unit one active-version pointer governs: an environment, a tenant or cohort (or
 * {@link #ANY_COHORT}) and an app model alias.
 *
 * @param environment e.g. {@code production}
 * @param tenantOrCohort a tenant or cohort name, or {@code *} for every cohort without its own pointer
 * @param modelAlias the app alias clients send as {@code model}
 */
public record ScopeKey(String environment, String tenantOrCohort, String modelAlias) {

  /** The cohort of a scope that serves every cohort without a pointer of its own. */
  public static final String ANY_COHORT = "*";

  public ScopeKey {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(tenantOrCohort, "tenantOrCohort");
    Objects.requireNonNull(modelAlias, "modelAlias");
  }

  /** The same environment and alias with cohort {@code *}. */
  public ScopeKey anyCohort() {
    return new ScopeKey(environment, ANY_COHORT, modelAlias);
  }

  /** The scope as written in {@code routes.yaml} pointers (without {@code route_version}). */
  public JsonObject toJson() {
    return new JsonObject().put("environment", environment).put("tenant_or_cohort", tenantOrCohort)
        .put("model_alias", modelAlias);
  }

  /**
   * Reads {@link #toJson()} output (extra fields, such as a pointer's {@code route_version}, are ignored).
   *
   * @throws IllegalArgumentException when a field is missing or not a non-empty string
   */
  public static ScopeKey fromJson(JsonObject json) {
    return new ScopeKey(text(json, "environment"), text(json, "tenant_or_cohort"), text(json, "model_alias"));
  }

  private static String text(JsonObject json, String key) {
    if (json == null || !(json.getValue(key) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("scope field " + key + " must be a non-empty string");
    }
    return s;
  }

  /** {@code environment/tenant_or_cohort/model_alias}, as used in messages and logs. */
  @Override
  public String toString() {
    return environment + "/" + tenantOrCohort + "/" + modelAlias;
  }
}
