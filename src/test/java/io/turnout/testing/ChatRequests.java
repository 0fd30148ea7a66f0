package io.turnout.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Chat-completion request bodies and headers as clients send them. */
public final class ChatRequests {

  private ChatRequests() {}

  /** A minimal valid request for {@code alias}. */
  public static JsonObject plain(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));
  }

  /** The same for a named end user (the OpenAI {@code user} field canary selection hashes). */
  public static JsonObject forUser(String alias, String user) {
    return plain(alias).put("user", user);
  }

  /** A streaming request. */
  public static JsonObject stream(String alias) {
    return plain(alias).put("stream", true);
  }

  /** A request that relies on tools. */
  public static JsonObject withTools(String alias) {
    JsonObject parameters = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("ticket", new JsonObject().put("type", "string")));
    return plain(alias).put("tools", new JsonArray().add(new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "lookup_ticket").put("parameters", parameters))));
  }

  /** {@code Authorization: Bearer <key>}. */
  public static MultiMap bearer(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + key);
  }
}
