package io.turnout.dataplane.provider.anthropic;

/** Anthropic's {@code stop_reason} in OpenAI's {@code finish_reason} terms. */
final class StopReasons {

  private StopReasons() {}

  /**
   * The OpenAI finish reason, or null for a value this codec does not know. An unknown stop reason is
   * treated as a contract break by the callers rather than guessed at: a guess could hide a
   * truncated answer from the client.
   */
  static String toFinishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      // pause_turn: the server paused a long-running turn; what was produced so far is complete text.
      case "end_turn", "stop_sequence", "pause_turn" -> "stop";
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> null;
    };
  }
}
