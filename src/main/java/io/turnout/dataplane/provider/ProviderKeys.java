package io.turnout.dataplane.provider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers' credentials as they are now, node-wide: what the configuration said at start,
 * replaced when a {@code file:} secret is rotated. Every upstream attempt reads its provider's
 * value when it starts, so new attempts use a rotated key and attempts in flight finish with the
 * one they started with. Values are never logged.
 */
public final class ProviderKeys {

  /** No rotation: every provider uses its configured key. */
  public static final ProviderKeys NONE = new ProviderKeys();

  private final Map<String, String> rotated = new ConcurrentHashMap<>();

  /** The auth header value an attempt of {@code options}' provider sends now. */
  public String authValue(ProviderOptions options) {
    String key = rotated.get(options.name());
    if (key == null) {
      return options.authValue();
    }
    return options.authScheme().isEmpty() ? key : options.authScheme() + " " + key;
  }

  /** From now on, {@code provider}'s attempts send {@code key} (with the provider's auth scheme). */
  public void rotate(String provider, String key) {
    if (this == NONE) {
      throw new IllegalStateException("the shared NONE keys cannot rotate");
    }
    rotated.put(provider, key);
  }
}
