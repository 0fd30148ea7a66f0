package io.turnout.dataplane.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * Parses request bodies as strict RFC 8259 JSON. Vert.x's own decoder accepts {@code /* *\/} and
 * {@code //} comments; a gateway must not: a body another parser upstream (or a logging pipeline)
 * would read differently is a request smuggled past the checks. Trailing content after the value
 * and non-standard literals ({@code NaN}, single quotes, leading zeros) are refused as well.
 */
final class StrictJson {

  /** Jackson's defaults: no comments, no non-numeric numbers, no unquoted or single-quoted names. */
  private static final JsonFactory FACTORY = new JsonFactory();

  private StrictJson() {}

  /**
   * The value of {@code bytes}: a {@code JsonObject}, {@code JsonArray}, string, number, boolean
   * or null.
   *
   * @throws DecodeException when the text is not exactly one strict JSON value
   */
  static Object decode(byte[] bytes) {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      // fromParser reads one value and refuses a trailing token.
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (IOException e) {
      throw new DecodeException("Failed to decode: " + e.getMessage());
    }
  }
}
