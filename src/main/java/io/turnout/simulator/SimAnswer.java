package io.turnout.simulator;

/**
 * What a simulated provider answers to one request, before any contract encoding. Derived only
 * from the request (never echoing its text) and the request's sequence number.
 *
 * @param messageId the completion / message id
 * @param model the request's model, echoed back
 * @param createdSeconds the {@code created} timestamp (OpenAI)
 * @param text the answer text, or null when the answer is a tool call
 * @param toolName the tool called, or null for a text answer
 * @param toolCallId the tool call's id, or null
 * @param promptTokens simulated prompt tokens: message text characters / 4 + 1
 * @param completionTokens simulated completion tokens: answer characters / 4 + 1
 */
record SimAnswer(String messageId, String model, long createdSeconds, String text, String toolName,
    String toolCallId, long promptTokens, long completionTokens) {

  /** The arguments of a simulated tool call: always an empty object. */
  static final String TOOL_ARGUMENTS = "{}";

  static SimAnswer text(String messageId, String model, long created, String text, long promptTokens) {
    return new SimAnswer(messageId, model, created, text, null, null, promptTokens, SimText.tokens(text.length()));
  }

  static SimAnswer toolCall(String messageId, String model, long created, String toolName, String toolCallId,
      long promptTokens) {
    return new SimAnswer(messageId, model, created, null, toolName, toolCallId, promptTokens,
        SimText.tokens(toolName.length() + TOOL_ARGUMENTS.length()));
  }

  boolean isToolCall() {
    return toolName != null;
  }
}
