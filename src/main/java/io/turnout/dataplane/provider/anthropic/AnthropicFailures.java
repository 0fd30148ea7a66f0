package io.turnout.dataplane.provider.anthropic;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;

/**
 * Factories for the failures the codec raises itself. Messages name fields and paths only: a
 * request failure must never quote prompt text, and a response failure never quotes completion text.
 */
final class AnthropicFailures {

  /** Our code for a request Anthropic cannot honour; the client must change the request. */
  static final String UNSUPPORTED_PARAMETER = "unsupported_parameter";
  /** Our code for a request value that is malformed whatever the provider. */
  static final String INVALID_VALUE = "invalid_value";

  /** A 2xx answer is what carried the broken body or stream. */
  private static final int OK = 200;

  private AnthropicFailures() {}

  static ProviderFailure unsupported(String param, String message) {
    return new ProviderFailure(ErrorClass.VALIDATION, message, 400, -1, null, param, UNSUPPORTED_PARAMETER);
  }

  static ProviderFailure invalid(String param, String message) {
    return new ProviderFailure(ErrorClass.VALIDATION, message, 400, -1, null, param, INVALID_VALUE);
  }

  static ProviderFailure malformed(String message) {
    return new ProviderFailure(ErrorClass.MALFORMED_RESPONSE, message, OK, -1, null, null, null);
  }

  static ProviderFailure missingField(String field) {
    return malformed("missing field: " + field);
  }

  static ProviderFailure invalidField(String field) {
    return malformed("invalid field: " + field);
  }
}
