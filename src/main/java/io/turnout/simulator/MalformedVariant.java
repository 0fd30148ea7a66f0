package io.turnout.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link FaultKind#MALFORMED} answer breaks the contract. Two variants have an Anthropic
 * name as an alias ({@code missing_content}, {@code missing_stop_reason}); scripts may use either
 * name for either contract, and the canonical (first) name is what the control endpoint shows.
 */
public enum MalformedVariant {
  /** The body (or one stream event's data) does not parse as JSON. */
  NOT_JSON("not_json", null),
  /** A 200 with an empty body (or a stream with no events at all). */
  EMPTY_BODY("empty_body", null),
  /** No {@code id} (OpenAI: every chunk; Anthropic: the message / message_start). */
  MISSING_ID("missing_id", null),
  /** OpenAI: no {@code choices}. Anthropic: no {@code content} (stream: nor {@code content_block}). */
  MISSING_CHOICES("missing_choices", "missing_content"),
  /** OpenAI: a choice without {@code message} (stream: chunks without {@code delta}). Anthropic:
   *  the content block without its {@code text}/{@code input} (stream: deltas without {@code delta}). */
  MISSING_MESSAGE("missing_message", null),
  /** OpenAI: no {@code finish_reason} (stream: the finishing chunk is dropped). Anthropic: no {@code stop_reason}. */
  MISSING_FINISH_REASON("missing_finish_reason", "missing_stop_reason"),
  /** Usage present but with a negative and a string token count. */
  BAD_USAGE("bad_usage", null),
  /** OpenAI {@code object: "list"}; Anthropic {@code type: "completion"}. */
  WRONG_OBJECT("wrong_object", null);

  /** The accepted script values, for error messages. */
  public static final String ALLOWED = allowed();

  private final String wireName;
  private final String alias;

  MalformedVariant(String wireName, String alias) {
    this.wireName = wireName;
    this.alias = alias;
  }

  /** The canonical script name. */
  public String wireName() {
    return wireName;
  }

  /** Parses a wire name or alias; throws {@link IllegalArgumentException} on anything else. */
  public static MalformedVariant fromWireName(String name) {
    for (MalformedVariant v : values()) {
      if (v.wireName.equals(name) || name.equals(v.alias)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown malformed variant: " + name);
  }

  private static String allowed() {
    List<String> names = new ArrayList<>();
    for (MalformedVariant v : values()) {
      names.add(v.wireName);
      if (v.alias != null) {
        names.add(v.alias);
      }
    }
    return String.join(", ", names);
  }
}
