package io.turnout.dataplane.tenancy;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretDigest;
import io.turnout.config.SecretResolver;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps client API keys to callers. Keys are held only as SHA-256 digests, so a heap dump or a
 * debugger shows no key, and a lookup compares digests rather than secrets. With no clients
 * configured, every request is {@link Caller#ANONYMOUS}.
 */
public final class ClientRegistry {

  /** Swapped whole on a rotation, so readers on any event loop see one consistent set. */
  private volatile Map<String, Caller> byDigest;

  private ClientRegistry(Map<String, Caller> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
  }

  /**
   * Replaces client {@code name}'s key (a rotated secret file): requests with the old key get 401
   * from now on, the new key is the client's. Unknown clients are ignored.
   */
  public synchronized void rotate(String name, String key) {
    Map<String, Caller> next = new HashMap<>();
    Caller[] rotated = new Caller[1];
    byDigest.forEach((digest, caller) -> {
      if (caller.client().equals(name)) {
        rotated[0] = caller;
      } else {
        next.put(digest, caller);
      }
    });
    if (rotated[0] != null) {
      next.put(digest(key.trim()), rotated[0]);
      byDigest = Map.copyOf(next);
    }
  }

  /** A registry that authenticates nobody and lets everybody in as {@link Caller#ANONYMOUS}. */
  public static ClientRegistry open() {
    return new ClientRegistry(Map.of());
  }

  /**
   * Reads {@code clients.<name>: {key, tenant, cohort}}; {@code key} is a secret reference and
   * {@code cohort} defaults to the tenant.
   */
  public static ClientRegistry fromConfig(Map<String, ConfigNode> clients, SecretResolver secrets) {
    Map<String, Caller> byDigest = new HashMap<>();
    clients.forEach((name, node) -> {
      String key = secrets.resolve(node, "key");
      String tenant = node.string("tenant");
      String cohort = node.optString("cohort", tenant);
      node.finish();
      if (byDigest.putIfAbsent(digest(key), new Caller(name, tenant, cohort)) != null) {
        throw node.error("key", "is the same key as another client's");
      }
    });
    return new ClientRegistry(byDigest);
  }

  /** The cohorts of the configured clients: the values a metrics {@code cohort} label may take. */
  public java.util.Set<String> cohorts() {
    java.util.Set<String> cohorts = new java.util.TreeSet<>();
    byDigest.values().forEach(c -> cohorts.add(c.cohort()));
    return cohorts;
  }

  /** Whether callers must present a key. */
  public boolean required() {
    return !byDigest.isEmpty();
  }

  /**
   * The caller of a request, from its {@code Authorization: Bearer <key>} header value.
   *
   * @return the caller, or null when a key is required and the header is missing or unknown
   */
  public Caller authenticate(String authorization) {
    if (byDigest.isEmpty()) {
      return Caller.ANONYMOUS;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = authorization.substring(7).trim();
    return key.isEmpty() ? null : byDigest.get(digest(key));
  }

  private static String digest(String key) {
    return SecretDigest.sha256Hex(key);
  }
}
