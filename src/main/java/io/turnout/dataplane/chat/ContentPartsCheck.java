package io.turnout.dataplane.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Checks the content parts of a message the way OpenAI does: every part has a known {@code type}
 * and the field that type requires, so an upstream never sees a part it would refuse (or, worse,
 * silently drop). A part of an unknown type is a 400 naming its path.
 */
final class ContentPartsCheck {

  /** The part types of the chat-completions contract. */
  static final Set<String> TYPES = Set.of("text", "image_url", "input_audio", "file", "refusal");

  private ContentPartsCheck() {}

  /**
   * Also adds what each part relies on to {@code features} (the same walk).
   *
   * @throws ApiException with a 400 naming the first offending part's path
   */
  static void check(JsonArray parts, String at, java.util.EnumSet<io.turnout.routes.Feature> features) {
    for (int i = 0; i < parts.size(); i++) {
      String partAt = at + "[" + i + "]";
      if (!(parts.getValue(i) instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
        throw invalid("'" + partAt + "' must be an object with a 'type'.", partAt + ".type");
      }
      io.turnout.routes.Features.part(type, features);
      switch (type) {
        case "text" -> requireString(part, "text", partAt);
        case "refusal" -> requireString(part, "refusal", partAt);
        case "image_url" -> {
          JsonObject image = requireObject(part, "image_url", partAt);
          requireString(image, "url", partAt + ".image_url");
          Object detail = image.getValue("detail");
          if (detail != null && !Set.of("auto", "low", "high").contains(detail)) {
            throw invalid("'" + partAt + ".image_url.detail' must be one of auto, low, high.",
                partAt + ".image_url.detail");
          }
        }
        case "input_audio" -> {
          JsonObject audio = requireObject(part, "input_audio", partAt);
          requireString(audio, "data", partAt + ".input_audio");
          requireString(audio, "format", partAt + ".input_audio");
        }
        case "file" -> {
          JsonObject file = requireObject(part, "file", partAt);
          if (!(file.getValue("file_data") instanceof String) && !(file.getValue("file_id") instanceof String)) {
            throw invalid("'" + partAt + ".file' must have a 'file_data' or 'file_id' string.", partAt + ".file");
          }
        }
        default -> throw invalid("'" + partAt + ".type' must be one of text, image_url, input_audio, file, refusal; got '"
            + shorten(type) + "'.", partAt + ".type");
      }
    }
  }

  private static void requireString(JsonObject json, String key, String at) {
    Object value = json.getValue(key);
    if (!(value instanceof String)) {
      throw invalid(value == null ? "Missing required parameter: '" + at + "." + key + "'."
          : "'" + at + "." + key + "' must be a string.", at + "." + key);
    }
  }

  private static JsonObject requireObject(JsonObject json, String key, String at) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonObject object)) {
      throw invalid(value == null ? "Missing required parameter: '" + at + "." + key + "'."
          : "'" + at + "." + key + "' must be an object.", at + "." + key);
    }
    return object;
  }

  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }

  private static ApiException invalid(String message, String param) {
    return ApiError.invalidRequest(message, param, "invalid_request").exception();
  }
}
