package io.turnout.controlplane.probes;

import io.turnout.config.ConfigNode;
import java.util.List;

/**
 * The sanitized texts probes send (runbook section 2: "sanitized traffic"): harmless, fixed,
 * never production data. They come from {@code probes.prompts} with shipped defaults, and are
 * never logged, nor is anything a provider answers.
 *
 * @param system the system message of every probe
 * @param shortPrompt the single-turn user message
 * @param multiTurn user and assistant turns, alternating, starting and ending with a user turn
 * @param ceilingFiller a sentence repeated to fill the token-ceiling probe's prompt
 * @param optionalFields the user message of the probe that uses every enabled optional field;
 *     mentions JSON, which OpenAI requires of a {@code response_format: json_object} request
 */
public record ProbePrompts(String system, String shortPrompt, List<String> multiTurn, String ceilingFiller,
    String optionalFields) {

  public static final String DEFAULT_SYSTEM = "You are a concise support assistant. Do not include secrets.";
  public static final String DEFAULT_SHORT =
      "Summarize the support ticket: customer reports delayed webhook delivery after a deploy.";
  public static final List<String> DEFAULT_MULTI_TURN = List.of(
      "A customer says webhook deliveries have been late since Tuesday's deploy.",
      "Understood: webhook deliveries have been delayed since the Tuesday deploy.",
      "Summarize the issue in one sentence for the on-call engineer.");
  public static final String DEFAULT_CEILING_FILLER =
      "Ticket log line: webhook retry scheduled, delivery pending, no customer data attached. ";
  public static final String DEFAULT_OPTIONAL_FIELDS =
      "Classify the ticket 'webhook deliveries are late' and answer as a JSON object with a field \"status\".";

  public ProbePrompts {
    multiTurn = List.copyOf(multiTurn);
  }

  /** The shipped defaults. */
  public static ProbePrompts defaults() {
    return new ProbePrompts(DEFAULT_SYSTEM, DEFAULT_SHORT, DEFAULT_MULTI_TURN, DEFAULT_CEILING_FILLER,
        DEFAULT_OPTIONAL_FIELDS);
  }

  /** Reads {@code probes.prompts}; every field optional. */
  static ProbePrompts fromConfig(ConfigNode node) {
    String system = node.optString("system", DEFAULT_SYSTEM);
    String shortPrompt = node.optString("short", DEFAULT_SHORT);
    List<String> multiTurn = node.has("multi_turn") ? node.stringList("multi_turn") : DEFAULT_MULTI_TURN;
    if (multiTurn.size() < 3 || multiTurn.size() % 2 == 0) {
      throw node.error("multi_turn", "must alternate user and assistant turns, starting and ending with a user turn"
          + " (an odd number, at least 3), got " + multiTurn.size());
    }
    String filler = node.optString("ceiling_filler", DEFAULT_CEILING_FILLER);
    String optional = node.optString("optional_fields", DEFAULT_OPTIONAL_FIELDS);
    node.finish();
    return new ProbePrompts(system, shortPrompt, multiTurn, filler, optional);
  }
}
