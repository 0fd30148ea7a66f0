package io.turnout.http;

/** Response header names the node adds. */
public final class Headers {

  /** The request id: the client's {@code x-request-id} when sane, else generated; also sent upstream. */
  public static final String REQUEST_ID = "x-request-id";
  /** The provider that answered, or failed. */
  public static final String PROVIDER = "x-turnout-provider";
  /** The failure class of an error answer, e.g. {@code rate_limited}. */
  public static final String ERROR_CLASS = "x-turnout-error-class";
  /** Upstream attempts made for this request. */
  public static final String ATTEMPTS = "x-turnout-attempts";

  private Headers() {}
}
