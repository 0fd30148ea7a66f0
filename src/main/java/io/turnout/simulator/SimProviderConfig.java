package io.turnout.simulator;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One simulated provider: its name (the first path segment of its endpoint), contract, the key
 * that requests must present and its initial script.
 *
 * @param name path-safe name, e.g. {@code primary}; served under {@code /primary/v1/...}
 * @param contract the wire contract it speaks
 * @param apiKey the resolved key; never logged, never shown ({@link #toString()} redacts it)
 * @param script the script in force at start
 */
public record SimProviderConfig(String name, SimContractKind contract, String apiKey, SimScript script) {

  /** Provider names: letters, digits, {@code _ . -}, not starting with {@code _} (reserved for {@code /_sim}). */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public SimProviderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(script, "script");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("provider name must match " + NAME.pattern() + ": " + name);
    }
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
  }

  @Override
  public String toString() {
    return "SimProviderConfig[name=" + name + ", contract=" + contract.wireName() + ", apiKey=<redacted>, script="
        + script.toJson().encode() + "]";
  }
}
