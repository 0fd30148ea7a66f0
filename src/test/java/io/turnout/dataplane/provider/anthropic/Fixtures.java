package io.turnout.dataplane.provider.anthropic;

import io.turnout.dataplane.provider.ChatCall;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Golden fixtures under {@code fixtures/anthropic/} and the constants they were written with. */
final class Fixtures {

  /** 2026-01-01T00:00:00Z, the {@code created} every golden OpenAI answer carries. */
  static final long CREATED = 1767225600L;
  static final String MODEL = "claude-sonnet-4-5-20250929";
  static final int DEFAULT_MAX_TOKENS = 1024;

  private Fixtures() {}

  static AnthropicCodec codec() {
    return new AnthropicCodec(DEFAULT_MAX_TOKENS, () -> CREATED);
  }

  static ChatCall call(JsonObject request) {
    return call(request, false, false);
  }

  static ChatCall call(JsonObject request, boolean stream, boolean includeUsage) {
    return new ChatCall(request, MODEL, "req-test-1", stream, includeUsage, 30_000, Future.succeededFuture());
  }

  static String text(String name) {
    String resource = "/fixtures/anthropic/" + name;
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject object(String name) {
    return new JsonObject(text(name));
  }

  static JsonArray array(String name) {
    return new JsonArray(text(name));
  }
}
