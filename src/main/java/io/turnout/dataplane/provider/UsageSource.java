package io.turnout.dataplane.provider;

/** Where a {@link Usage} came from, logged as {@code usage_source}. */
public enum UsageSource {
  /** The provider's own usage fields. */
  PROVIDER("provider"),
  /** Not reported by the provider. */
  NONE("none");

  private final String wireName;

  UsageSource(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
