package io.turnout.dataplane.provider.openai;

import io.turnout.dataplane.provider.ChatCall;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Golden fixtures under {@code src/test/resources/fixtures/openai/} and small builders for the OpenAI tests. */
final class Fixtures {

  private Fixtures() {}

  static byte[] bytes(String name) {
    String resource = "fixtures/openai/" + name;
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  static Buffer buffer(String name) {
    return Buffer.buffer(bytes(name));
  }

  static JsonObject json(String name) {
    return new JsonObject(text(name));
  }

  /** The non-empty lines of a {@code .jsonl} fixture, each the exact bytes of one relayed chunk. */
  static List<String> lines(String name) {
    return text(name).lines().filter(l -> !l.isEmpty()).toList();
  }

  static ChatCall call(JsonObject request, boolean stream, boolean includeUsage) {
    return new ChatCall(request, "provider-model-id", "req-1", stream, includeUsage, 10_000,
        Promise.<Void>promise().future());
  }

  static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
