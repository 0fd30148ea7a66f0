package io.turnout.routes;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An optional chat-completion capability a request relies on. A route version enables features
 * per provider, so a request that needs one is never sent to a provider whose contract for it was
 * not verified (runbook: "build a compatibility matrix per feature").
 */
public enum Feature {
  /** {@code stream: true}. */
  STREAM("stream", "stream"),
  /** A non-empty {@code tools} list. */
  TOOLS("tools", "tools"),
  /** An explicit {@code tool_choice}. */
  TOOL_CHOICE("tool_choice", "tool_choice"),
  /** An explicit {@code parallel_tool_calls}. */
  PARALLEL_TOOL_CALLS("parallel_tool_calls", "parallel_tool_calls"),
  /** {@code response_format: {type: json_object}}. */
  RESPONSE_FORMAT("response_format", "response_format"),
  /** {@code response_format: {type: json_schema}}. */
  JSON_SCHEMA("json_schema", "response_format"),
  /** {@code logprobs: true} or a {@code top_logprobs} value. */
  LOGPROBS("logprobs", "logprobs"),
  /** {@code n} greater than 1. */
  MULTIPLE_CHOICES("multiple_choices", "n"),
  /** Any {@code image_url} content part. */
  VISION("vision", "messages"),
  /** {@code modalities} including audio, an {@code audio} output option, or an {@code input_audio} part. */
  AUDIO("audio", "modalities"),
  /** A {@code stop} sequence. */
  STOP("stop", "stop"),
  /** A {@code seed}. */
  SEED("seed", "seed");

  /** The wire names, for config error messages. */
  public static final String ALLOWED = Arrays.stream(values()).map(Feature::wireName).collect(Collectors.joining(", "));

  private final String wireName;
  private final String param;

  Feature(String wireName, String param) {
    this.wireName = wireName;
    this.param = param;
  }

  /** The name used in {@code routes.yaml}, logs and error messages, e.g. {@code json_schema}. */
  public String wireName() {
    return wireName;
  }

  /** The top-level request parameter that carries the feature, used as an OpenAI error's {@code param}. */
  public String param() {
    return param;
  }

  /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} on anything else. */
  public static Feature fromWireName(String name) {
    for (Feature f : values()) {
      if (f.wireName.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown feature: " + name);
  }
}
