package io.turnout.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The Anthropic Messages contract, as the simulator speaks it. */
final class AnthropicSimContract implements SimContract {

  @Override
  public String completionPath() {
    return "/v1/messages";
  }

  @Override
  public String requestIdHeader() {
    return "request-id";
  }

  @Override
  public String requestId(String provider, long seq) {
    return "req_sim_" + seq;
  }

  @Override
  public String authHeader() {
    return "x-api-key";
  }

  @Override
  public String presentedKey(MultiMap headers) {
    return headers.get("x-api-key");
  }

  @Override
  public SimRejection authFailure(boolean keyPresent) {
    return new SimRejection(401, "authentication_error", keyPresent ? "invalid x-api-key" : "x-api-key header is required",
        null, null, "auth_failed");
  }

  @Override
  public SimRejection validate(MultiMap headers, JsonObject body) {
    return AnthropicSimRequests.validate(headers, body);
  }

  @Override
  public boolean streamUsageRequested(JsonObject body) {
    return true; // Anthropic streams always carry usage in message_start and message_delta
  }

  @Override
  public SimAnswer answer(String provider, long seq, JsonObject body, long createdSeconds) {
    JsonArray messages = body.getJsonArray("messages");
    String id = "msg_sim_" + provider + "_" + seq;
    String model = body.getString("model");
    long promptTokens = SimText.tokens(SimText.messageChars(messages) + SimText.chars(body.getValue("system")));
    String tool = toolToCall(body, messages);
    if (tool != null) {
      return SimAnswer.toolCall(id, model, createdSeconds, tool, "toolu_sim_" + seq, promptTokens);
    }
    return SimAnswer.text(id, model, createdSeconds, SimText.answer(provider, messages.size()), promptTokens);
  }

  /** The tool to call: the named one under tool_choice, else the first declared; null for a text answer. */
  private static String toolToCall(JsonObject body, JsonArray messages) {
    if (!(body.getValue("tools") instanceof JsonArray tools) || tools.isEmpty()) {
      return null;
    }
    JsonObject choice = body.getValue("tool_choice") instanceof JsonObject c ? c : new JsonObject();
    if ("none".equals(choice.getValue("type"))) {
      return null;
    }
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    if (!"user".equals(last.getValue("role")) || carriesToolResult(last.getValue("content"))) {
      return null;
    }
    if ("tool".equals(choice.getValue("type")) && choice.getValue("name") instanceof String named) {
      return named;
    }
    for (Object t : tools) {
      if (t instanceof JsonObject tool && tool.getValue("name") instanceof String name) {
        return name;
      }
    }
    return null;
  }

  private static boolean carriesToolResult(Object content) {
    if (content instanceof JsonArray blocks) {
      for (Object b : blocks) {
        if (b instanceof JsonObject block && "tool_result".equals(block.getValue("type"))) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public JsonObject errorBody(int status, String type, String message, String param, String code, String requestId) {
    JsonObject error = new JsonObject().put("type", type != null ? type : typeFor(status)).put("message", message);
    return new JsonObject().put("type", "error").put("error", error).put("request_id", requestId);
  }

  @Override
  public JsonObject faultBody(int status, String errorCode, String requestId) {
    String type = errorCode != null ? errorCode : typeFor(status);
    return errorBody(status, type, messageFor(type), null, null, requestId);
  }

  private static String typeFor(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  private static String messageFor(String type) {
    return switch (type) {
      case "overloaded_error" -> "Overloaded (simulated)";
      case "rate_limit_error" -> "Number of requests has exceeded your rate limit (simulated)";
      case "api_error" -> "Internal server error (simulated)";
      default -> "Simulated " + type;
    };
  }

  @Override
  public Buffer completion(SimAnswer answer, boolean usage, MalformedVariant variant) {
    JsonObject block = answer.isToolCall()
        ? new JsonObject().put("type", "tool_use").put("id", answer.toolCallId()).put("name", answer.toolName())
            .put("input", new JsonObject())
        : new JsonObject().put("type", "text").put("text", answer.text());
    JsonObject body = message(answer, JsonArray.of(block), stopReason(answer), usage || variant == MalformedVariant.BAD_USAGE
        ? usageJson(answer.promptTokens(), answer.completionTokens()) : null);
    if (variant == null) {
      return body.toBuffer();
    }
    switch (variant) {
      case NOT_JSON -> {
        return Buffer.buffer("{\"id\": \"" + answer.messageId() + "\", \"type\": \"message\", content: [oops");
      }
      case EMPTY_BODY -> {
        return Buffer.buffer();
      }
      case MISSING_ID -> body.remove("id");
      case MISSING_CHOICES -> body.remove("content");
      case MISSING_MESSAGE -> {
        block.remove("text");
        block.remove("input");
      }
      case MISSING_FINISH_REASON -> body.remove("stop_reason");
      case BAD_USAGE -> body.put("usage", badUsage());
      case WRONG_OBJECT -> body.put("type", "completion");
    }
    return body.toBuffer();
  }

  private static JsonObject message(SimAnswer answer, JsonArray content, String stopReason, JsonObject usage) {
    JsonObject message = new JsonObject()
        .put("id", answer.messageId())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", answer.model())
        .put("content", content)
        .put("stop_reason", stopReason)
        .putNull("stop_sequence");
    if (usage != null) {
      message.put("usage", usage);
    }
    return message;
  }

  @Override
  public SimStreamPlan stream(SimAnswer answer, boolean usage, MalformedVariant variant) {
    if (variant == MalformedVariant.EMPTY_BODY) {
      return SimStreamPlan.EMPTY;
    }
    boolean withUsage = usage || variant == MalformedVariant.BAD_USAGE;
    JsonObject startUsage = withUsage ? usageJson(answer.promptTokens(), 1) : null;
    JsonObject message = message(answer, new JsonArray(), null, startUsage);
    JsonObject block = answer.isToolCall()
        ? new JsonObject().put("type", "tool_use").put("id", answer.toolCallId()).put("name", answer.toolName())
            .put("input", new JsonObject())
        : new JsonObject().put("type", "text").put("text", "");
    JsonObject blockStart = new JsonObject().put("type", "content_block_start").put("index", 0).put("content_block", block);

    List<JsonObject> deltas = new ArrayList<>();
    if (answer.isToolCall()) {
      deltas.add(new JsonObject().put("type", "input_json_delta").put("partial_json", SimAnswer.TOOL_ARGUMENTS));
    } else {
      SimText.pieces(answer.text()).forEach(p -> deltas.add(new JsonObject().put("type", "text_delta").put("text", p)));
    }
    List<JsonObject> contentEvents = new ArrayList<>();
    deltas.forEach(d -> contentEvents.add(
        new JsonObject().put("type", "content_block_delta").put("index", 0).put("delta", d)));

    JsonObject messageDelta = new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason(answer)).putNull("stop_sequence"));
    if (withUsage) {
      messageDelta.put("usage", new JsonObject().put("output_tokens", answer.completionTokens()));
    }
    if (variant != null) {
      switch (variant) {
        case MISSING_ID -> message.remove("id");
        case MISSING_CHOICES -> {
          message.remove("content");
          blockStart.remove("content_block");
        }
        case MISSING_MESSAGE -> contentEvents.forEach(e -> e.remove("delta"));
        case MISSING_FINISH_REASON -> messageDelta.getJsonObject("delta").remove("stop_reason");
        case BAD_USAGE -> {
          message.put("usage", new JsonObject().put("input_tokens", -1).put("output_tokens", 1));
          messageDelta.put("usage", new JsonObject().put("output_tokens", "12"));
        }
        case WRONG_OBJECT -> message.put("type", "completion");
        default -> {
          // NOT_JSON is applied to the encoded events below
        }
      }
    }
    List<SseEvent> preamble = List.of(
        SseEvent.of("message_start", new JsonObject().put("type", "message_start").put("message", message)),
        SseEvent.of("ping", new JsonObject().put("type", "ping")),
        SseEvent.of("content_block_start", blockStart));
    List<SseEvent> content = new ArrayList<>();
    contentEvents.forEach(e -> content.add(SseEvent.of("content_block_delta", e)));
    if (variant == MalformedVariant.NOT_JSON) {
      content.set(0, new SseEvent("content_block_delta", "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {"));
    }
    List<SseEvent> tail = List.of(
        SseEvent.of("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0)),
        SseEvent.of("message_delta", messageDelta),
        SseEvent.of("message_stop", new JsonObject().put("type", "message_stop")));
    return new SimStreamPlan(preamble, content, tail);
  }

  private static String stopReason(SimAnswer answer) {
    return answer.isToolCall() ? "tool_use" : "end_turn";
  }

  private static JsonObject usageJson(long input, long output) {
    return new JsonObject()
        .put("input_tokens", input)
        .put("output_tokens", output)
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0);
  }

  private static JsonObject badUsage() {
    return new JsonObject().put("input_tokens", -1).put("output_tokens", "12");
  }

  @Override
  public SseEvent errorEvent(String errorType, String requestId) {
    JsonObject error = new JsonObject().put("type", errorType != null ? errorType : "api_error")
        .put("message", "Internal server error (simulated stream error)");
    return SseEvent.of("error", new JsonObject().put("type", "error").put("error", error));
  }

  @Override
  public String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }
}
