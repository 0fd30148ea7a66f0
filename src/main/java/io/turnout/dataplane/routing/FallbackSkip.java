package io.turnout.dataplane.routing;

/**
 * Why a request did not move to its next planned route although its failure called for it, as the
 * request log's {@code fallback_skipped_reason} says it. A fallback that did not happen is not a
 * fallback: it is never counted in {@code turnout_fallbacks_total} nor in the gates' signals.
 */
public enum FallbackSkip {
  /** The route's deadline ran out before the next route could be tried. */
  DEADLINE("deadline", false),
  /** The version has no clean drill on record (and no operator override): its fallback is manual only. */
  MANUAL_ONLY("manual_only", true),
  /** The data policy dropped the fallback route's provider for the caller's cohort. */
  DATA_POLICY("data_policy", true),
  /** The next route's provider has an open breaker. */
  BREAKER_OPEN("breaker_open", false),
  /** A gate's {@code stop} holds the scope: no request of it may reach the fallback provider. */
  STOPPED("stopped", true),
  /** Part of the answer already reached the client: another route would contradict it. */
  STREAM_STARTED("stream_started", false);

  private final String wireName;
  private final boolean standing;

  FallbackSkip(String wireName, boolean standing) {
    this.wireName = wireName;
    this.standing = standing;
  }

  /** The name in the request log and the {@code x-turnout-fallback} header. */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether the skip is a standing property of the version, scope or cohort (manual only, data
   * policy, stopped) rather than of this request's luck: those are also what the answer's
   * {@code x-turnout-fallback} and the log's {@code fallback_reason} say.
   */
  public boolean standing() {
    return standing;
  }
}
