package io.turnout.dataplane.provider;

/** The provider contracts the node speaks. */
public enum ProviderKind {
  /** OpenAI chat completions: OpenAI, CometAPI and other compatible providers. */
  OPENAI("openai"),
  /** Anthropic Messages API. */
  ANTHROPIC("anthropic");

  private final String wireName;

  ProviderKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Parses a config value; throws {@link IllegalArgumentException} on an unknown kind. */
  public static ProviderKind fromWireName(String name) {
    for (ProviderKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown provider kind: " + name);
  }
}
