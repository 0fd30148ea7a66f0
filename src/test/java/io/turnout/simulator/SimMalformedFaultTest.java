package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.simulator.SimTestSupport.Capture;
import io.turnout.simulator.SimTestSupport.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every malformed variant, for both contracts, streaming and not; and the wrong content type. */
@ExtendWith(VertxExtension.class)
class SimMalformedFaultTest {

  private SimTestSupport sim;

  @BeforeEach
  void start(Vertx vertx) {
    sim = SimTestSupport.start(vertx);
  }

  private void script(String provider, MalformedVariant variant) {
    sim.putScript(provider, "{\"faults\": [{\"kind\": \"malformed\", \"variant\": \"" + variant.wireName()
        + "\", \"times\": 1}]}");
  }

  @ParameterizedTest
  @EnumSource(MalformedVariant.class)
  void openAiBodies(MalformedVariant variant) {
    script("primary", variant);
    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a"));

    assertEquals(200, reply.status());
    assertTrue(reply.header("content-type").startsWith("application/json"));
    switch (variant) {
      case NOT_JSON -> assertThrows(DecodeException.class, reply::json);
      case EMPTY_BODY -> assertEquals("", reply.body());
      case MISSING_ID -> assertFalse(reply.json().containsKey("id"));
      case MISSING_CHOICES -> assertFalse(reply.json().containsKey("choices"));
      case MISSING_MESSAGE -> assertFalse(choice(reply.json()).containsKey("message"));
      case MISSING_FINISH_REASON -> assertFalse(choice(reply.json()).containsKey("finish_reason"));
      case BAD_USAGE -> assertBadCounts(reply.json().getJsonObject("usage"));
      case WRONG_OBJECT -> assertEquals("list", reply.json().getString("object"));
    }
    assertTrue(sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a")).json().containsKey("id"),
        "the next answer is normal again");
  }

  @ParameterizedTest
  @EnumSource(MalformedVariant.class)
  void anthropicBodies(MalformedVariant variant) {
    script("claude", variant);
    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a"));

    assertEquals(200, reply.status());
    switch (variant) {
      case NOT_JSON -> assertThrows(DecodeException.class, reply::json);
      case EMPTY_BODY -> assertEquals("", reply.body());
      case MISSING_ID -> assertFalse(reply.json().containsKey("id"));
      case MISSING_CHOICES -> assertFalse(reply.json().containsKey("content"));
      case MISSING_MESSAGE -> assertFalse(reply.json().getJsonArray("content").getJsonObject(0).containsKey("text"));
      case MISSING_FINISH_REASON -> assertFalse(reply.json().containsKey("stop_reason"));
      case BAD_USAGE -> assertBadCounts(reply.json().getJsonObject("usage"));
      case WRONG_OBJECT -> assertEquals("completion", reply.json().getString("type"));
    }
  }

  @ParameterizedTest
  @EnumSource(MalformedVariant.class)
  void openAiStreams(MalformedVariant variant) {
    script("primary", variant);
    Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a").put("stream", true));

    assertEquals(200, reply.status());
    assertTrue(reply.ended());
    List<Event> events = reply.events();
    if (variant == MalformedVariant.EMPTY_BODY) {
      assertEquals("", reply.body());
      return;
    }
    if (variant == MalformedVariant.NOT_JSON) {
      assertTrue(events.stream().anyMatch(e -> !e.data().equals("[DONE]") && !parses(e.data())));
      return;
    }
    List<JsonObject> chunks = reply.dataObjects();
    switch (variant) {
      case MISSING_ID -> chunks.forEach(c -> assertFalse(c.containsKey("id")));
      case MISSING_CHOICES -> assertTrue(chunks.stream().anyMatch(c -> !c.containsKey("choices")));
      case MISSING_MESSAGE -> assertTrue(chunks.stream().anyMatch(c -> !choice(c).containsKey("delta")));
      case MISSING_FINISH_REASON -> {
        assertEquals("[DONE]", events.get(events.size() - 1).data());
        chunks.forEach(c -> assertEquals(null, choice(c).getValue("finish_reason")));
      }
      case BAD_USAGE -> assertBadCounts(chunks.get(chunks.size() - 1).getJsonObject("usage"));
      case WRONG_OBJECT -> chunks.forEach(c -> assertEquals("list", c.getString("object")));
      default -> throw new AssertionError(variant);
    }
  }

  @ParameterizedTest
  @EnumSource(MalformedVariant.class)
  void anthropicStreams(MalformedVariant variant) {
    script("claude", variant);
    Capture reply = sim.send(SimTestSupport.anthropic(), SimTestSupport.anthropicRequest("a").put("stream", true));

    assertEquals(200, reply.status());
    assertTrue(reply.ended());
    List<Event> events = reply.events();
    if (variant == MalformedVariant.EMPTY_BODY) {
      assertEquals("", reply.body());
      return;
    }
    if (variant == MalformedVariant.NOT_JSON) {
      assertTrue(events.stream().anyMatch(e -> !parses(e.data())));
      return;
    }
    JsonObject message = new JsonObject(events.get(0).data()).getJsonObject("message");
    JsonObject messageDelta = new JsonObject(events.get(events.size() - 2).data());
    switch (variant) {
      case MISSING_ID -> assertFalse(message.containsKey("id"));
      case MISSING_CHOICES -> assertFalse(new JsonObject(events.get(2).data()).containsKey("content_block"));
      case MISSING_MESSAGE -> assertFalse(new JsonObject(events.get(3).data()).containsKey("delta"));
      case MISSING_FINISH_REASON -> assertFalse(messageDelta.getJsonObject("delta").containsKey("stop_reason"));
      case BAD_USAGE -> assertFalse(messageDelta.getJsonObject("usage").getValue("output_tokens") instanceof Number);
      case WRONG_OBJECT -> assertEquals("completion", message.getString("type"));
      default -> throw new AssertionError(variant);
    }
  }

  @Test
  void wrongContentTypeSendsAnHtmlPageWith200() {
    sim.putScript("primary", "{\"faults\": [{\"kind\": \"wrong_content_type\", \"times\": 2}]}");

    for (boolean stream : new boolean[] {false, true}) {
      Capture reply = sim.send(SimTestSupport.openAi(), SimTestSupport.openAiRequest("a").put("stream", stream));
      assertEquals(200, reply.status());
      assertTrue(reply.header("content-type").startsWith("text/html"));
      assertTrue(reply.body().startsWith("<!DOCTYPE html>"));
    }
  }

  private static JsonObject choice(JsonObject body) {
    return body.getJsonArray("choices", new JsonArray().add(new JsonObject())).getJsonObject(0);
  }

  private static void assertBadCounts(JsonObject usage) {
    boolean bad = false;
    for (String key : usage.fieldNames()) {
      Object v = usage.getValue(key);
      bad |= !(v instanceof Number) || ((Number) v).longValue() < 0;
    }
    assertTrue(bad, "usage should have a string or negative count: " + usage);
  }

  private static boolean parses(String data) {
    try {
      new JsonObject(data);
      return true;
    } catch (DecodeException e) {
      return false;
    }
  }
}
