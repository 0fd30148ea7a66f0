package io.turnout.simulator;

import io.turnout.config.ConfigNode;
import io.vertx.core.json.JsonObject;

/**
 * One scripted fault. It fires either a fixed number of times ({@code times}, first in list order
 * wins) or on a seeded random share of requests ({@code share}); never both. Fields that do not
 * belong to the fault's kind hold their "absent" value (0, -1 or null).
 *
 * @param kind what the fault does
 * @param times how many requests it fires on, or 0 when it is share-based
 * @param share the probability per request in (0, 1], or 0 when it is times-based
 * @param status {@code status}: the HTTP status
 * @param errorCode {@code status}: overrides the error code (OpenAI {@code error.code}, Anthropic
 *     {@code error.type}), or null
 * @param retryAfterSeconds {@code status}: the {@code Retry-After} header value, or -1 for none
 * @param body {@code status}: a raw body sent instead of the contract's error shape, or null
 * @param contentType {@code status}: the content type of {@code body}, or null
 * @param variant {@code malformed}: how the answer breaks the contract
 * @param afterChunks {@code stall}, {@code cut}, {@code error_chunk}: content events sent first
 * @param errorType {@code error_chunk}: the error type in the error event, or null for the
 *     contract's default
 */
public record Fault(FaultKind kind, int times, double share, int status, String errorCode,
    int retryAfterSeconds, String body, String contentType, MalformedVariant variant, int afterChunks,
    String errorType) {

  /** The content type of a raw {@code body} when the script names none. */
  public static final String DEFAULT_RAW_CONTENT_TYPE = "text/plain; charset=utf-8";

  private static final int MAX_TIMES = 1_000_000_000;
  private static final int MAX_AFTER_CHUNKS = 100_000;
  private static final int MAX_RETRY_AFTER_S = 86_400;

  /** Reads and validates one entry of {@code faults}; errors carry the entry's field path. */
  public static Fault fromConfig(ConfigNode node) {
    FaultKind kind = node.enumValue("kind", null, FaultKind::fromWireName, FaultKind.ALLOWED);
    boolean hasTimes = node.raw("times") != null;
    boolean hasShare = node.raw("share") != null;
    if (hasTimes == hasShare) {
      throw node.error(hasTimes ? "has both times and share: give exactly one"
          : "needs either times or share");
    }
    int times = hasTimes ? node.intValue("times", 0, 1, MAX_TIMES) : 0;
    double share = 0;
    if (hasShare) {
      share = node.doubleValue("share", 0, 0, 1);
      if (share <= 0) {
        throw node.error("share", "must be greater than 0 and at most 1, got " + share);
      }
    }
    Fault fault = switch (kind) {
      case STATUS -> readStatus(node, times, share);
      case MALFORMED -> new Fault(kind, times, share, 0, null, -1, null, null,
          node.enumValue("variant", null, MalformedVariant::fromWireName, MalformedVariant.ALLOWED), 0, null);
      case STALL, CUT -> new Fault(kind, times, share, 0, null, -1, null, null, null,
          node.intValue("after_chunks", 0, 0, MAX_AFTER_CHUNKS), null);
      case ERROR_CHUNK -> new Fault(kind, times, share, 0, null, -1, null, null, null,
          node.intValue("after_chunks", 0, 0, MAX_AFTER_CHUNKS), node.optString("error_type", null));
      case WRONG_CONTENT_TYPE, HANG, RESET -> new Fault(kind, times, share, 0, null, -1, null, null, null, 0, null);
    };
    node.finish();
    return fault;
  }

  private static Fault readStatus(ConfigNode node, int times, double share) {
    Object rawBody = node.raw("body");
    if (rawBody != null && !(rawBody instanceof String)) {
      throw node.error("body", "must be a string (the raw response body)");
    }
    String body = (String) rawBody;
    String contentType = node.optString("content_type", null);
    if (contentType != null && body == null) {
      throw node.error("content_type", "is only allowed together with body");
    }
    String errorCode = node.optString("error_code", null);
    if (errorCode != null && body != null) {
      throw node.error("error_code", "has no effect together with body: give one of them");
    }
    int status = node.intValue("status", body == null ? 400 : 200, 599);
    int retryAfter = node.intValue("retry_after_s", -1, 0, MAX_RETRY_AFTER_S);
    return new Fault(FaultKind.STATUS, times, share, status, errorCode, retryAfter, body,
        body == null ? null : contentType == null ? DEFAULT_RAW_CONTENT_TYPE : contentType, null, 0, null);
  }

  /** True when this fault fires a fixed number of times rather than on a share of requests. */
  public boolean counted() {
    return times > 0;
  }

  /** The request-log outcome of an exchange this fault fired on, e.g. {@code fault:status:503}. */
  public String outcome() {
    return switch (kind) {
      case STATUS -> "fault:status:" + status;
      case MALFORMED -> "fault:malformed:" + variant.wireName();
      default -> "fault:" + kind.wireName();
    };
  }

  /** The script JSON of this fault, with only the fields of its kind. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind.wireName());
    if (counted()) {
      json.put("times", times);
    } else {
      json.put("share", share);
    }
    switch (kind) {
      case STATUS -> {
        json.put("status", status);
        putIfSet(json, "error_code", errorCode);
        if (retryAfterSeconds >= 0) {
          json.put("retry_after_s", retryAfterSeconds);
        }
        putIfSet(json, "body", body);
        putIfSet(json, "content_type", contentType);
      }
      case MALFORMED -> json.put("variant", variant.wireName());
      case STALL, CUT -> json.put("after_chunks", afterChunks);
      case ERROR_CHUNK -> {
        json.put("after_chunks", afterChunks);
        putIfSet(json, "error_type", errorType);
      }
      default -> {
        // no parameters
      }
    }
    return json;
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
