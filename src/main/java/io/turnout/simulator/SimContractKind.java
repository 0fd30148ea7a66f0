package io.turnout.simulator;

/** The wire contract a simulated provider speaks. */
public enum SimContractKind {
  /** OpenAI chat completions: {@code POST /v1/chat/completions}, {@code Authorization: Bearer}. */
  OPENAI("openai"),
  /** Anthropic Messages: {@code POST /v1/messages}, {@code x-api-key} and {@code anthropic-version}. */
  ANTHROPIC("anthropic");

  /** The accepted config values, for error messages. */
  public static final String ALLOWED = "openai, anthropic";

  private final String wireName;

  SimContractKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in config and on the control endpoint. */
  public String wireName() {
    return wireName;
  }

  /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} on anything else. */
  public static SimContractKind fromWireName(String name) {
    for (SimContractKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown contract: " + name);
  }
}
