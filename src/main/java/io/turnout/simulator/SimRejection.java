package io.turnout.simulator;

/**
 * A request the simulated provider refuses before answering (bad path, key or body).
 *
 * @param status the HTTP status
 * @param type the error type, or null to derive it from the status
 * @param message the error message; never quotes the request or the key
 * @param param the offending parameter (OpenAI), or null
 * @param code the error code (OpenAI), or null
 * @param outcome the request-log outcome, e.g. {@code auth_failed}
 */
record SimRejection(int status, String type, String message, String param, String code, String outcome) {

  static SimRejection invalid(String message, String param, String code) {
    return new SimRejection(400, "invalid_request_error", message, param, code, "invalid_request");
  }
}
