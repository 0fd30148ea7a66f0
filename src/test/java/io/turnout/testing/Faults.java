package io.turnout.testing;

import io.vertx.core.json.JsonObject;

/** Simulator fault scripts, as the control endpoint takes them. */
public final class Faults {

  private Faults() {}

  /** Answer this HTTP status with an error body in the provider's contract shape. */
  public static JsonObject status(int status) {
    return new JsonObject().put("kind", "status").put("status", status);
  }

  /** A 200 whose body breaks the contract in the named way. */
  public static JsonObject malformed(String variant) {
    return new JsonObject().put("kind", "malformed").put("variant", variant);
  }

  /** Any other fault kind: hang, reset, cut, stall, error_chunk, wrong_content_type. */
  public static JsonObject fault(String kind) {
    return new JsonObject().put("kind", kind);
  }
}
