package io.turnout.simulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One server-sent event as the simulator writes it.
 *
 * @param name the {@code event:} line, or null for a data-only event (OpenAI)
 * @param data the {@code data:} payload, written on one line
 */
record SseEvent(String name, String data) {

  static SseEvent of(String name, JsonObject data) {
    return new SseEvent(name, data.encode());
  }

  Buffer encode() {
    StringBuilder sb = new StringBuilder(data.length() + 32);
    if (name != null) {
      sb.append("event: ").append(name).append('\n');
    }
    return Buffer.buffer(sb.append("data: ").append(data).append("\n\n").toString());
  }
}
