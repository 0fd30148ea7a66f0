package io.turnout.routes;

import io.vertx.core.json.JsonObject;

/**
 * What the rollback gates (or an operator) hold on one scope besides its active version. A scope
 * without a control entry is on {@link #NONE}: evaluated since load, the version's own canary
 * share, free to expand.
 *
 * @param epoch the pointer revision at which this scope's current evaluation started: when its
 *     version changed or a gate acted on it. Signals are kept per epoch, so nothing inherits an
 *     older version's (or an older share's) verdicts
 * @param canaryShare the canary share in force instead of the version's, or null for the version's
 * @param frozen whether expansion is stopped: moving the scope to a version that is not on its
 *     rollback chain is refused unless forced
 * @param pausedReason why the scope is paused (gates report but do not act), or null
 * @param heldBy who froze, reduced or paused it (e.g. {@code gate:fallback_5xx}), or null
 * @param autoFallbackOverride who let this scope's version fail over automatically without a
 *     clean drill on record, and why ({@code operator: reason}), or null
 */
public record ScopeControl(long epoch, Double canaryShare, boolean frozen, String pausedReason, String heldBy,
    String autoFallbackOverride) {

  /** What gates hold, without an automatic-fallback override. */
  public ScopeControl(long epoch, Double canaryShare, boolean frozen, String pausedReason, String heldBy) {
    this(epoch, canaryShare, frozen, pausedReason, heldBy, null);
  }

  /** This control with {@code override} (null to withdraw it). */
  public ScopeControl withAutoFallbackOverride(String override) {
    return new ScopeControl(epoch, canaryShare, frozen, pausedReason, heldBy, override);
  }

  /** {@code next} (a gate's or an operator's new hold) keeping this control's automatic-fallback override. */
  public ScopeControl keepOverride(ScopeControl next) {
    return next.withAutoFallbackOverride(autoFallbackOverride);
  }

  /** Nothing held, evaluated since the pointers were loaded. */
  public static final ScopeControl NONE = new ScopeControl(0, null, false, null, null);

  /** A fresh evaluation from {@code epoch} on, nothing held. */
  public static ScopeControl fresh(long epoch) {
    return new ScopeControl(epoch, null, false, null, null);
  }

  public boolean paused() {
    return pausedReason != null;
  }

  /**
   * Whether a gate's {@code stop} holds the scope: frozen with canary share 0. No request of a
   * stopped scope reaches its fallback provider, automatic fallback included.
   */
  public boolean stopped() {
    return frozen && canaryShare != null && canaryShare == 0.0;
  }

  /** The share canary selection uses for {@code route}. */
  public double shareFor(RouteVersion route) {
    return canaryShare == null ? route.canaryShare() : canaryShare;
  }

  /** This control as JSON: {@code {epoch, canary_share?, frozen, paused?, held_by?}}. */
  public JsonObject toJson() {
    return writeTo(new JsonObject().put("epoch", epoch).put("frozen", frozen));
  }

  /** Reads {@link #toJson()}. */
  public static ScopeControl fromJson(JsonObject json) {
    return readFrom(json);
  }

  /** Adds this control's fields to a pointer's JSON (only what differs from {@link #NONE}). */
  JsonObject writeTo(JsonObject pointer) {
    if (epoch != 0) {
      pointer.put("epoch", epoch);
    }
    if (canaryShare != null) {
      pointer.put("canary_share", canaryShare);
    }
    if (frozen) {
      pointer.put("frozen", true);
    }
    if (pausedReason != null) {
      pointer.put("paused", pausedReason);
    }
    if (heldBy != null) {
      pointer.put("held_by", heldBy);
    }
    if (autoFallbackOverride != null) {
      pointer.put("auto_fallback_override", autoFallbackOverride);
    }
    return pointer;
  }

  /** Reads what {@link #writeTo} wrote; missing fields are {@link #NONE}'s. */
  static ScopeControl readFrom(JsonObject pointer) {
    Object share = pointer.getValue("canary_share");
    if (share != null && !(share instanceof Number)) {
      throw new IllegalArgumentException("pointer field canary_share must be a number");
    }
    return new ScopeControl(pointer.getLong("epoch", 0L), share == null ? null : ((Number) share).doubleValue(),
        Boolean.TRUE.equals(pointer.getBoolean("frozen")), pointer.getString("paused"), pointer.getString("held_by"),
        pointer.getString("auto_fallback_override"));
  }
}
