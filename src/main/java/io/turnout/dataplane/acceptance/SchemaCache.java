package io.turnout.dataplane.acceptance;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled response schemas by their JSON text, least recently used dropped first. A client sends
 * the same few schemas with request after request, and every attempt of a request (retries,
 * fallbacks) judges against the same one: each distinct schema is compiled once, not per answer.
 */
final class SchemaCache {

  /** How many distinct schemas one cache keeps. */
  static final int DEFAULT_CAPACITY = 256;

  private final Map<String, ResponseSchema> byText;

  SchemaCache(int capacity) {
    this.byText = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ResponseSchema> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The compiled form of {@code schema}, compiling it on first use. */
  synchronized ResponseSchema get(JsonObject schema) {
    return byText.computeIfAbsent(schema.encode(), text -> ResponseSchema.compile(schema));
  }

  synchronized int size() {
    return byText.size();
  }
}
