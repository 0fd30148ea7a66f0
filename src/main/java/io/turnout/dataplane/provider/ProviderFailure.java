package io.turnout.dataplane.provider;

/**
 * A classified failure of one upstream attempt, carried as the cause of a failed {@code Future}.
 *
 * <p>The message is safe to show a client and to log: it never holds a prompt, a completion or a
 * credential. It carries no stack trace, since it is an expected outcome on the data plane, not a
 * bug, and filling one in for every 429 costs more than the rest of the attempt.
 */
public final class ProviderFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorClass errorClass;
  private final int upstreamStatus;
  private final long retryAfterMillis;
  private final String providerRequestId;
  private final String param;
  private final String code;

  /**
   * @param upstreamStatus the provider's HTTP status, or 0 when none was received
   * @param retryAfterMillis the provider's Retry-After in milliseconds, or -1 when absent
   * @param providerRequestId the provider's own request id, or null
   * @param param the request parameter at fault (validation), or null
   * @param code a machine-readable code (the provider's, or ours), or null
   */
  public ProviderFailure(ErrorClass errorClass, String message, int upstreamStatus, long retryAfterMillis,
      String providerRequestId, String param, String code) {
    super(message, null, false, false);
    this.errorClass = errorClass;
    this.upstreamStatus = upstreamStatus;
    this.retryAfterMillis = retryAfterMillis;
    this.providerRequestId = providerRequestId;
    this.param = param;
    this.code = code;
  }

  /** A failure with one of the node's own codes (no request id or param). */
  public static ProviderFailure ours(ErrorClass errorClass, String message, int upstreamStatus, FailureCode code) {
    return new ProviderFailure(errorClass, message, upstreamStatus, -1, null, null, code.wireName());
  }

  /** A failure with no upstream status, request id, param or code (timeouts, network, cancellation). */
  public static ProviderFailure of(ErrorClass errorClass, String message) {
    return new ProviderFailure(errorClass, message, 0, -1, null, null, null);
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public int upstreamStatus() {
    return upstreamStatus;
  }

  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  public String providerRequestId() {
    return providerRequestId;
  }

  public String param() {
    return param;
  }

  /** The code as sent to the client: the provider's own, or the wire name of one of ours. */
  public String code() {
    return code;
  }

  /** The code as one the node acts on, or null for a provider's own code (or none). */
  public FailureCode failureCode() {
    return FailureCode.of(code);
  }

  /** Whether this failure carries {@code code}. */
  public boolean is(FailureCode code) {
    return code.wireName().equals(this.code);
  }

  /** A copy that also carries the provider's request id (known only once headers arrived). */
  public ProviderFailure withProviderRequestId(String id) {
    if (id == null || id.equals(providerRequestId)) {
      return this;
    }
    return new ProviderFailure(errorClass, getMessage(), upstreamStatus, retryAfterMillis, id, param, code);
  }

  @Override
  public String toString() {
    return "ProviderFailure[" + errorClass.wireName() + ", status=" + upstreamStatus + ", " + getMessage() + "]";
  }
}
