package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.ProviderKind;
import io.turnout.routes.Feature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The OpenAI chat requests probes send, built from the sanitized prompts. Pure. */
public final class ProbeRequests {

  /** {@code max_tokens} of the ordinary probes: enough for a one-line answer. */
  static final int SHORT_MAX_TOKENS = 200;
  /** A 1x1 transparent PNG: the vision part of the optional-fields probe, no content to leak. */
  static final String PIXEL_PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42"
      + "mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  /** The role of the invalid request to an OpenAI-compatible provider: no such role exists. */
  static final String INVALID_ROLE = "turnout_probe_invalid_role";

  private ProbeRequests() {}

  /** A system message and one user message. */
  public static JsonObject single(ProbePrompts prompts) {
    return base(SHORT_MAX_TOKENS).put("messages", JsonArray.of(system(prompts), user(prompts.shortPrompt())));
  }

  /** A system message and the alternating turns. */
  public static JsonObject multiTurn(ProbePrompts prompts) {
    JsonArray messages = JsonArray.of(system(prompts));
    List<String> turns = prompts.multiTurn();
    for (int i = 0; i < turns.size(); i++) {
      messages.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", turns.get(i)));
    }
    return base(SHORT_MAX_TOKENS).put("messages", messages);
  }

  /**
   * {@code max_tokens} at the ceiling and a prompt of the filler repeated to about a quarter of it
   * in tokens (about {@code ceiling} characters at four characters a token).
   */
  public static JsonObject tokenCeiling(ProbePrompts prompts, int ceiling) {
    StringBuilder text = new StringBuilder("Summarize these log lines in one sentence. ");
    while (text.length() < ceiling) {
      text.append(prompts.ceilingFiller());
    }
    return base(ceiling).put("messages", JsonArray.of(system(prompts), user(text.toString())));
  }

  /** A request with every optional field {@code features} enables, and the names of those it sent. */
  public record Optional(JsonObject request, boolean stream, List<String> sentFields) {}

  /**
   * One valid request using each enabled feature: tools with tool_choice and parallel_tool_calls
   * (only with tools, which they need), response_format (json_schema when enabled, else
   * json_object), stop, seed, logprobs, n=2, an image part, audio output, and {@code stream: true}
   * with usage requested.
   */
  public static Optional optionalFields(ProbePrompts prompts, Set<Feature> features) {
    List<String> sent = new ArrayList<>();
    JsonObject userMessage = user(prompts.optionalFields());
    JsonObject request = base(SHORT_MAX_TOKENS);
    boolean tools = features.contains(Feature.TOOLS);
    if (tools) {
      request.put("tools", JsonArray.of(new JsonObject().put("type", "function").put("function", new JsonObject()
          .put("name", "lookup_ticket_status").put("description", "Looks up the status of a support ticket.")
          .put("parameters", new JsonObject().put("type", "object")
              .put("properties", new JsonObject().put("ticket_id", new JsonObject().put("type", "string")))
              .put("required", JsonArray.of("ticket_id"))))));
      sent.add("tools");
      if (features.contains(Feature.TOOL_CHOICE)) {
        request.put("tool_choice", "auto");
        sent.add("tool_choice");
      }
      if (features.contains(Feature.PARALLEL_TOOL_CALLS)) {
        request.put("parallel_tool_calls", false);
        sent.add("parallel_tool_calls");
      }
    }
    if (features.contains(Feature.JSON_SCHEMA)) {
      request.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject()
          .put("name", "ticket_status").put("strict", true).put("schema", new JsonObject().put("type", "object")
              .put("properties", new JsonObject().put("status", new JsonObject().put("type", "string")))
              .put("required", JsonArray.of("status")).put("additionalProperties", false))));
      sent.add("response_format(json_schema)");
    } else if (features.contains(Feature.RESPONSE_FORMAT)) {
      request.put("response_format", new JsonObject().put("type", "json_object"));
      sent.add("response_format(json_object)");
    }
    if (features.contains(Feature.STOP)) {
      request.put("stop", JsonArray.of("\n\n###"));
      sent.add("stop");
    }
    if (features.contains(Feature.SEED)) {
      request.put("seed", 7);
      sent.add("seed");
    }
    if (features.contains(Feature.LOGPROBS)) {
      request.put("logprobs", true).put("top_logprobs", 1);
      sent.add("logprobs");
    }
    if (features.contains(Feature.MULTIPLE_CHOICES)) {
      request.put("n", 2);
      sent.add("n");
    }
    if (features.contains(Feature.VISION)) {
      userMessage.put("content", JsonArray.of(new JsonObject().put("type", "text").put("text", prompts.optionalFields()),
          new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", PIXEL_PNG))));
      sent.add("image_url");
    }
    if (features.contains(Feature.AUDIO)) {
      request.put("modalities", JsonArray.of("text", "audio"))
          .put("audio", new JsonObject().put("voice", "alloy").put("format", "pcm16"));
      sent.add("audio");
    }
    boolean stream = features.contains(Feature.STREAM);
    if (stream) {
      request.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
      sent.add("stream");
    }
    request.put("messages", JsonArray.of(system(prompts), userMessage));
    return new Optional(request, stream, sent);
  }

  /**
   * A request the provider must refuse, shaped so the node's own codec lets it through (the probe
   * checks the provider's error, not ours): an unknown message role for an OpenAI-compatible
   * provider; a conversation of only a system message (no messages left) for Anthropic.
   */
  public static JsonObject invalid(ProbePrompts prompts, ProviderKind kind) {
    JsonArray messages = switch (kind) {
      case OPENAI -> JsonArray.of(system(prompts), new JsonObject().put("role", INVALID_ROLE)
          .put("content", prompts.shortPrompt()));
      case ANTHROPIC -> JsonArray.of(system(prompts));
    };
    return base(SHORT_MAX_TOKENS).put("messages", messages);
  }

  private static JsonObject base(int maxTokens) {
    return new JsonObject().put("temperature", 0.2).put("max_tokens", maxTokens);
  }

  private static JsonObject system(ProbePrompts prompts) {
    return new JsonObject().put("role", "system").put("content", prompts.system());
  }

  private static JsonObject user(String text) {
    return new JsonObject().put("role", "user").put("content", text);
  }
}
