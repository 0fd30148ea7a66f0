package io.turnout.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The OpenAI chat-completions contract, as the simulator speaks it. */
final class OpenAiSimContract implements SimContract {

  @Override
  public String completionPath() {
    return "/v1/chat/completions";
  }

  @Override
  public String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  public String requestId(String provider, long seq) {
    return "sim-" + provider + "-" + seq;
  }

  @Override
  public String authHeader() {
    return "authorization";
  }

  @Override
  public String presentedKey(MultiMap headers) {
    String value = headers.get("authorization");
    return value != null && value.startsWith("Bearer ") ? value.substring("Bearer ".length()).trim() : null;
  }

  @Override
  public SimRejection authFailure(boolean keyPresent) {
    String message = keyPresent ? "Incorrect API key provided. You can find your API key in your simulator config."
        : "You didn't provide an API key. You need to provide your API key in an Authorization header using"
            + " Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    return new SimRejection(401, "invalid_request_error", message, null, "invalid_api_key", "auth_failed");
  }

  @Override
  public SimRejection validate(MultiMap headers, JsonObject body) {
    return OpenAiSimRequests.validate(headers, body);
  }

  @Override
  public boolean streamUsageRequested(JsonObject body) {
    return body.getValue("stream_options") instanceof JsonObject options
        && Boolean.TRUE.equals(options.getValue("include_usage"));
  }

  @Override
  public SimAnswer answer(String provider, long seq, JsonObject body, long createdSeconds) {
    JsonArray messages = body.getJsonArray("messages");
    String id = "chatcmpl-sim-" + provider + "-" + seq;
    String model = body.getString("model");
    long promptTokens = SimText.tokens(SimText.messageChars(messages));
    String tool = OpenAiSimRequests.toolToCall(body, messages);
    if (tool != null) {
      return SimAnswer.toolCall(id, model, createdSeconds, tool, "call_sim_" + seq, promptTokens);
    }
    return SimAnswer.text(id, model, createdSeconds, SimText.answer(provider, messages.size()), promptTokens);
  }



  @Override
  public JsonObject errorBody(int status, String type, String message, String param, String code, String requestId) {
    JsonObject error = new JsonObject()
        .put("message", message)
        .put("type", type != null ? type : typeFor(status))
        .put("param", param)
        .put("code", code);
    return new JsonObject().put("error", error);
  }

  @Override
  public JsonObject faultBody(int status, String errorCode, String requestId) {
    String code = errorCode != null ? errorCode : status == 429 ? "rate_limit_exceeded" : status == 401 ? "invalid_api_key" : null;
    return errorBody(status, null, messageFor(status), null, code, requestId);
  }

  private static String typeFor(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "requests";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 429 -> "Rate limit reached for requests (simulated). Please try again later.";
      case 500 -> "The server had an error while processing your request. Sorry about that! (simulated)";
      case 503 -> "The engine is currently overloaded, please try again later. (simulated)";
      default -> "Simulated error " + status + ".";
    };
  }

  @Override
  public Buffer completion(SimAnswer answer, boolean usage, MalformedVariant variant) {
    JsonObject message = new JsonObject().put("role", "assistant");
    if (answer.isToolCall()) {
      message.putNull("content").put("tool_calls", JsonArray.of(new JsonObject()
          .put("id", answer.toolCallId())
          .put("type", "function")
          .put("function", new JsonObject().put("name", answer.toolName()).put("arguments", SimAnswer.TOOL_ARGUMENTS))));
    } else {
      message.put("content", answer.text());
    }
    message.putNull("refusal");
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
        .put("finish_reason", finishReason(answer));
    JsonObject body = new JsonObject()
        .put("id", answer.messageId())
        .put("object", "chat.completion")
        .put("created", answer.createdSeconds())
        .put("model", answer.model())
        .put("choices", JsonArray.of(choice));
    if (usage || variant == MalformedVariant.BAD_USAGE) {
      body.put("usage", usageJson(answer));
    }
    if (variant == null) {
      return body.toBuffer();
    }
    switch (variant) {
      case NOT_JSON -> {
        return Buffer.buffer("{\"id\": \"" + answer.messageId() + "\", \"object\": \"chat.completion\", choices: [oops");
      }
      case EMPTY_BODY -> {
        return Buffer.buffer();
      }
      case MISSING_ID -> body.remove("id");
      case MISSING_CHOICES -> body.remove("choices");
      case MISSING_MESSAGE -> choice.remove("message");
      case MISSING_FINISH_REASON -> choice.remove("finish_reason");
      case BAD_USAGE -> body.put("usage", badUsage());
      case WRONG_OBJECT -> body.put("object", "list");
    }
    return body.toBuffer();
  }

  @Override
  public SimStreamPlan stream(SimAnswer answer, boolean usage, MalformedVariant variant) {
    // usage here already folds in the script's usage flag and the request's include_usage
    boolean usageChunk = usage || variant == MalformedVariant.BAD_USAGE;
    if (variant == MalformedVariant.EMPTY_BODY) {
      return SimStreamPlan.EMPTY;
    }
    List<JsonObject> preamble = new ArrayList<>();
    List<JsonObject> content = new ArrayList<>();
    List<JsonObject> tail = new ArrayList<>();
    JsonObject first = new JsonObject().put("role", "assistant");
    if (answer.isToolCall()) {
      first.putNull("content");
      preamble.add(chunk(answer, first, null, usageChunk));
      JsonObject function = new JsonObject().put("name", answer.toolName()).put("arguments", "");
      content.add(chunk(answer, toolDelta(new JsonObject().put("index", 0).put("id", answer.toolCallId())
          .put("type", "function").put("function", function)), null, usageChunk));
      content.add(chunk(answer, toolDelta(new JsonObject().put("index", 0)
          .put("function", new JsonObject().put("arguments", SimAnswer.TOOL_ARGUMENTS))), null, usageChunk));
    } else {
      preamble.add(chunk(answer, first.put("content", ""), null, usageChunk));
      for (String piece : SimText.pieces(answer.text())) {
        content.add(chunk(answer, new JsonObject().put("content", piece), null, usageChunk));
      }
    }
    if (variant != MalformedVariant.MISSING_FINISH_REASON) {
      tail.add(chunk(answer, new JsonObject(), finishReason(answer), usageChunk));
    }
    if (usageChunk) {
      tail.add(new JsonObject().put("id", answer.messageId()).put("object", "chat.completion.chunk")
          .put("created", answer.createdSeconds()).put("model", answer.model()).put("choices", new JsonArray())
          .put("usage", variant == MalformedVariant.BAD_USAGE ? badUsage() : usageJson(answer)));
    }
    if (variant != null) {
      malform(variant, preamble, content, tail);
    }
    List<SseEvent> doneEvent = List.of(new SseEvent(null, "[DONE]"));
    List<SseEvent> tailEvents = new ArrayList<>(events(tail));
    tailEvents.addAll(doneEvent);
    List<SseEvent> contentEvents = events(content);
    if (variant == MalformedVariant.NOT_JSON) {
      contentEvents.set(0, new SseEvent(null, "{\"id\":\"" + answer.messageId() + "\",\"choices\":[{\"delta\":"));
    }
    return new SimStreamPlan(events(preamble), contentEvents, tailEvents);
  }

  private static void malform(MalformedVariant variant, List<JsonObject> preamble, List<JsonObject> content,
      List<JsonObject> tail) {
    List<JsonObject> all = new ArrayList<>(preamble);
    all.addAll(content);
    all.addAll(tail);
    for (JsonObject chunk : all) {
      boolean usageChunk = chunk.getJsonArray("choices").isEmpty();
      switch (variant) {
        case MISSING_ID -> chunk.remove("id");
        case MISSING_CHOICES -> {
          if (!usageChunk) {
            chunk.remove("choices");
          }
        }
        case MISSING_MESSAGE -> {
          if (!usageChunk) {
            chunk.getJsonArray("choices").getJsonObject(0).remove("delta");
          }
        }
        case WRONG_OBJECT -> chunk.put("object", "list");
        default -> {
          // handled while building the plan
        }
      }
    }
  }

  private static JsonObject toolDelta(JsonObject toolCall) {
    return new JsonObject().put("tool_calls", JsonArray.of(toolCall));
  }

  private static JsonObject chunk(SimAnswer answer, JsonObject delta, String finishReason, boolean usageField) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).putNull("logprobs")
        .put("finish_reason", finishReason);
    JsonObject chunk = new JsonObject()
        .put("id", answer.messageId())
        .put("object", "chat.completion.chunk")
        .put("created", answer.createdSeconds())
        .put("model", answer.model())
        .put("choices", JsonArray.of(choice));
    if (usageField) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  private static List<SseEvent> events(List<JsonObject> chunks) {
    List<SseEvent> events = new ArrayList<>();
    chunks.forEach(c -> events.add(SseEvent.of(null, c)));
    return events;
  }

  private static String finishReason(SimAnswer answer) {
    return answer.isToolCall() ? "tool_calls" : "stop";
  }

  private static JsonObject usageJson(SimAnswer answer) {
    return new JsonObject()
        .put("prompt_tokens", answer.promptTokens())
        .put("completion_tokens", answer.completionTokens())
        .put("total_tokens", answer.promptTokens() + answer.completionTokens());
  }

  private static JsonObject badUsage() {
    return new JsonObject().put("prompt_tokens", -1).put("completion_tokens", "12").put("total_tokens", 11);
  }

  @Override
  public SseEvent errorEvent(String errorType, String requestId) {
    JsonObject error = new JsonObject()
        .put("message", "The server had an error while processing your request. (simulated stream error)")
        .put("type", errorType != null ? errorType : "server_error")
        .putNull("param")
        .putNull("code");
    return SseEvent.of(null, new JsonObject().put("error", error));
  }

  @Override
  public String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }
}
