package io.turnout.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The events of one simulated stream in three parts, so that stream faults can cut it after a
 * number of content events: the preamble is always sent (OpenAI role chunk; Anthropic
 * message_start, ping, content_block_start), {@code after_chunks} counts content events, and the
 * tail holds the finish and terminal events.
 */
record SimStreamPlan(List<SseEvent> preamble, List<SseEvent> content, List<SseEvent> tail) {

  static final SimStreamPlan EMPTY = new SimStreamPlan(List.of(), List.of(), List.of());

  /** Every event, in order. */
  List<SseEvent> all() {
    List<SseEvent> all = new ArrayList<>(preamble);
    all.addAll(content);
    all.addAll(tail);
    return all;
  }

  /** The preamble and the first {@code contentEvents} content events (fewer if there are fewer). */
  List<SseEvent> upTo(int contentEvents) {
    List<SseEvent> events = new ArrayList<>(preamble);
    events.addAll(content.subList(0, Math.min(contentEvents, content.size())));
    return events;
  }
}
