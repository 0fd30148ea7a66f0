package io.turnout.controlplane.probes;

/** The probes of a suite, in the order they run against each provider. */
public enum ProbeName {
  /** A short single-turn request is answered. */
  SHORT("short"),
  /** A multi-turn conversation is answered. */
  MULTI_TURN("multi_turn"),
  /** A request with {@code max_tokens} at the ceiling and a long prompt is answered within it. */
  TOKEN_CEILING("token_ceiling"),
  /** A request with every optional field the route enables for the role is answered. */
  OPTIONAL_FIELDS("optional_fields"),
  /** An invalid request gets a provider error that parses and classifies as validation. */
  INVALID_REQUEST("invalid_request"),
  /** A request with the alias's pinned model id is answered by that model. */
  PINNED_MODEL("pinned_model"),
  /** A deliberately invalid key classifies as auth after exactly one attempt. */
  NEGATIVE_AUTH("negative_auth"),
  /** A few-millisecond total timeout classifies as timeout, settles in time and frees its connection. */
  TIMEOUT("timeout"),
  /** The answer decodes strictly into the typed completion (choices, message, finish_reason). */
  SCHEMA_PARSE("schema_parse"),
  /** The provider reports token usage: the drill has a measurable usage boundary. */
  USAGE_TELEMETRY("usage_telemetry");

  private final String wireName;

  ProbeName(String wireName) {
    this.wireName = wireName;
  }

  /** The name in evidence and documentation, e.g. {@code negative_auth}. */
  public String wireName() {
    return wireName;
  }
}
