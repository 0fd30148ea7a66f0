package io.turnout.provider;

/**
 * The closed set of failure classes. Every failed attempt lands in exactly one of them, so that
 * retry, fallback, metrics and gates never have to re-interpret an HTTP status on their own.
 */
public enum ErrorClass {
  /** The provider refused our credentials (401/403). Never retried: a key problem does not heal in 200 ms. */
  AUTH("auth"),
  /** The request itself is wrong (400/404/413/422 and provider "invalid request" variants). Never retried. */
  VALIDATION("validation"),
  /** 429; the provider's Retry-After is kept on the failure. */
  RATE_LIMITED("rate_limited"),
  /** 5xx, including Anthropic's 529 overloaded. */
  UPSTREAM_5XX("upstream_5xx"),
  /** Connect, first-byte, idle or total deadline passed. */
  TIMEOUT("timeout"),
  /** Connection refused, reset or closed before a complete answer. */
  NETWORK("network"),
  /** A 2xx whose body breaks the contract, or a stream that ends without its terminal event. */
  MALFORMED_RESPONSE("malformed_response"),
  /** The provider refused the content (content filter / policy violation). Never retried. */
  CONTENT_POLICY("content_policy"),
  /**
   * The attempt was cancelled on our side and the upstream request reset: the caller went away, or
   * (code {@code route_drained}) drain mode {@code cancel} ended it because its scope moved to
   * another version. Never evidence against a provider.
   */
  CLIENT_CANCELLED("client_cancelled");

  private final String wireName;

  ErrorClass(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in headers, logs, metrics and event-bus failures, e.g. {@code upstream_5xx}. */
  public String wireName() {
    return wireName;
  }

  /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} on anything else. */
  public static ErrorClass fromWireName(String name) {
    for (ErrorClass c : values()) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown error class: " + name);
  }
}
