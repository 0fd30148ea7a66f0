package io.turnout.dataplane.provider;

/**
 * The failure codes the node itself sets or acts on, carried by {@link ProviderFailure#failureCode()}
 * beside the free-form {@link ProviderFailure#code()} (a provider's own codes, e.g. {@code invalid_value},
 * are passed on to the client as they came and are not in this set).
 */
public enum FailureCode {
  /** The provider's breaker turned the attempt away: it never went upstream (503 to the client). */
  CIRCUIT_OPEN("circuit_open"),
  /** Drain mode {@code cancel} ended the attempt because its scope moved to another version (503). */
  ROUTE_DRAINED("route_drained"),
  /** The answer failed the alias's output acceptance checks ({@code treat_as_failure}). */
  ACCEPTANCE_FAILED("acceptance_failed"),
  /** A 429 for an exhausted quota: a billing state, not congestion, so another try cannot pass. */
  INSUFFICIENT_QUOTA("insufficient_quota"),
  /** A 2xx that broke the contract. */
  MALFORMED_RESPONSE("malformed_response"),
  /** A stream that ended without its terminal event. */
  STREAM_INTERRUPTED("stream_interrupted"),
  /** A provider's SSE error event mid-stream. */
  STREAM_ERROR("stream_error");

  private final String wireName;

  FailureCode(String wireName) {
    this.wireName = wireName;
  }

  /** The code as it appears in error bodies and logs. */
  public String wireName() {
    return wireName;
  }

  /** The code named {@code code}, or null for a provider's code the node does not act on (or null). */
  public static FailureCode of(String code) {
    if (code == null) {
      return null;
    }
    for (FailureCode c : values()) {
      if (c.wireName.equals(code)) {
        return c;
      }
    }
    return null;
  }
}
