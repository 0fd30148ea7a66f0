package io.turnout.dataplane.acceptance;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The pre-approved output acceptance checks of one app model alias (runbook: "Only use
 * pre-approved acceptance checks during an incident"; "the output can be syntactically
 * successful and still operationally wrong").
 *
 * @param jsonSchema when the request asked for {@code response_format: json_schema}, the content
 *     must parse as JSON and match the schema; for {@code json_object}, parse as a JSON object
 * @param toolCalls tool-call arguments must parse as JSON objects and name a tool the request declared
 * @param nonEmpty an answer must have content or tool calls
 * @param deniedFinishReasons finish reasons that fail the check (e.g. {@code content_filter}, {@code length})
 * @param refusal a message with a {@code refusal} fails the check
 * @param minChars the content's least length, or 0
 * @param maxChars the content's greatest length, or 0 for none
 * @param denyPatterns regular expressions the content must not match
 * @param treatAsFailure a failed check makes the attempt fail (it may then fall back) instead of
 *     only being counted
 */
public record AcceptanceRules(boolean jsonSchema, boolean toolCalls, boolean nonEmpty,
    List<String> deniedFinishReasons, boolean refusal, int minChars, int maxChars, List<Pattern> denyPatterns,
    boolean treatAsFailure) {

  /** Reads {@code acceptance: {<alias>: {...}}}. */
  public static Map<String, AcceptanceRules> fromConfig(ConfigNode node) {
    Map<String, AcceptanceRules> byAlias = new java.util.LinkedHashMap<>();
    for (String alias : node.keys()) {
      ConfigNode rules = node.child(alias);
      List<String> patterns = rules.stringList("deny_patterns");
      List<Pattern> compiled = new java.util.ArrayList<>();
      for (int i = 0; i < patterns.size(); i++) {
        try {
          compiled.add(Pattern.compile(patterns.get(i)));
        } catch (PatternSyntaxException e) {
          throw new ConfigException(rules.file(), rules.pathOf("deny_patterns") + "[" + i + "]",
              "not a regular expression: " + e.getDescription());
        }
      }
      byAlias.put(alias, new AcceptanceRules(rules.bool("json_schema", true), rules.bool("tool_calls", true),
          rules.bool("non_empty", true), List.copyOf(rules.stringList("denied_finish_reasons")),
          rules.bool("refusal", true), rules.intValue("min_chars", 0, 0, 10_000_000),
          rules.intValue("max_chars", 0, 0, 100_000_000), List.copyOf(compiled),
          rules.bool("treat_as_failure", false)));
      rules.finish();
    }
    return Map.copyOf(byAlias);
  }
}
