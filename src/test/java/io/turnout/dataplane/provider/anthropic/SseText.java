package io.turnout.dataplane.provider.anthropic;

import java.util.ArrayList;
import java.util.List;

/**
 * Test-only splitter of SSE fixture text into (event, data) pairs: enough of the SSE format for
 * fixtures (event and data fields, comments, blank-line dispatch), not a production parser.
 */
final class SseText {

  record Event(String event, String data) {}

  private SseText() {}

  static List<Event> parse(String text) {
    List<Event> events = new ArrayList<>();
    String event = null;
    List<String> data = new ArrayList<>();
    for (String line : (text + "\n\n").split("\r\n|\r|\n", -1)) {
      if (line.isEmpty()) {
        if (!data.isEmpty()) {
          events.add(new Event(event, String.join("\n", data)));
        }
        event = null;
        data.clear();
      } else if (line.startsWith(":")) {
        continue;
      } else {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        if (field.equals("event")) {
          event = value;
        } else if (field.equals("data")) {
          data.add(value);
        }
      }
    }
    return events;
  }
}
