package io.turnout.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Contract-neutral helpers for simulated answers. */
final class SimText {

  /** Words per streamed content piece. */
  private static final int WORDS_PER_PIECE = 2;

  private SimText() {}

  /** The deterministic answer text. It names the provider and counts messages, never quoting them. */
  static String answer(String provider, int messages) {
    return "Simulated answer from " + provider + " (" + messages + (messages == 1 ? " message)." : " messages).");
  }

  /** Simulated token count of a text of {@code chars} characters. */
  static long tokens(long chars) {
    return chars / 4 + 1;
  }

  /**
   * The characters of message text in a {@code content} value: a string, or a list of parts whose
   * {@code text} (and, for Anthropic tool results, nested {@code content}) are counted.
   */
  static long chars(Object content) {
    if (content instanceof String s) {
      return s.length();
    }
    long total = 0;
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject p) {
          if (p.getValue("text") instanceof String t) {
            total += t.length();
          }
          total += chars(p.getValue("content"));
        } else {
          total += chars(part);
        }
      }
    }
    return total;
  }

  /** The characters of all {@code messages[].content}. */
  static long messageChars(JsonArray messages) {
    long total = 0;
    for (Object m : messages) {
      if (m instanceof JsonObject message) {
        total += chars(message.getValue("content"));
      }
    }
    return total;
  }

  /** Splits text into pieces of a few words, each keeping its trailing space. */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    String[] words = text.split(" ");
    StringBuilder piece = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      piece.append(words[i]);
      if (i < words.length - 1) {
        piece.append(' ');
      }
      if ((i + 1) % WORDS_PER_PIECE == 0 || i == words.length - 1) {
        pieces.add(piece.toString());
        piece.setLength(0);
      }
    }
    return pieces;
  }

  /** A JSON value's type name for error messages. */
  static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject) {
      return "object";
    }
    if (value instanceof JsonArray) {
      return "array";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    return value instanceof Number ? "number" : value.getClass().getSimpleName();
  }
}
