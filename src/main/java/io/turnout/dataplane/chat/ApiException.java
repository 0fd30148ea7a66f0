package io.turnout.dataplane.chat;

/** Carries an {@link ApiError} through a failed {@code Future}; no stack trace, it is an expected outcome. */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
