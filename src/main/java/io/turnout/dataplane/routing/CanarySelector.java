package io.turnout.dataplane.routing;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decides whether a request belongs to a canary share. The standard {@link #hashed()} selector is
 * deterministic on every JVM and node: a fixed 64-bit hash of the alias and the stable key, so a
 * user stays in (or out of) the canary across requests, nodes and restarts.
 */
@FunctionalInterface
public interface CanarySelector {

  /** The number of buckets; a share is applied with a resolution of 0.01%. */
  int BUCKETS = 10_000;

  /**
   * @param modelAlias the salt: per alias, not per route version, so that a new version of the same
   *     canary (say at 10% instead of 5%) keeps everyone who was already in it
   * @param stableKey see {@link #stableKey}
   * @param share in [0, 1]
   */
  boolean inCanary(String modelAlias, String stableKey, double share);

  /** {@code bucket(alias, key) < round(share * 10000)}: growing a share only ever adds buckets. */
  static CanarySelector hashed() {
    return (alias, key, share) -> share > 0 && bucket(alias, key) < Math.round(Math.min(share, 1.0) * BUCKETS);
  }

  /** The bucket, 0..9999, of a key under an alias. */
  static int bucket(String modelAlias, String stableKey) {
    return (int) Long.remainderUnsigned(hash(modelAlias, stableKey), BUCKETS);
  }

  /**
   * FNV-1a 64 over the UTF-8 bytes of {@code modelAlias}, a 0 byte and {@code stableKey}, then the
   * MurmurHash3 64-bit finaliser. Fixed-width arithmetic only, so every JVM computes the same
   * value ({@code String.hashCode} would too, but its 32 bits cluster for similar keys); the
   * separator keeps {@code ("ab", "c")} and {@code ("a", "bc")} apart; the finaliser spreads
   * FNV's weak low bits before the modulo.
   */
  static long hash(String modelAlias, String stableKey) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, modelAlias.getBytes(StandardCharsets.UTF_8));
    h *= 0x100000001b3L; // the 0 separator byte: XOR with 0 leaves h as it is
    h = fnv(h, stableKey.getBytes(StandardCharsets.UTF_8));
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private static long fnv(long h, byte[] bytes) {
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * The key a request is hashed by: {@code tenant:endUser} when the client names an end user (the
   * OpenAI {@code user} field), else {@code tenant:requestKey} when it sends a stable request key
   * (e.g. a conversation id), else {@code tenant} alone, which puts a whole tenant in or out
   * together. Prefer a key that is stable across a user's requests: a per-request random key
   * gives the right share but moves a user between providers from one request to the next.
   *
   * @param tenant the authenticated tenant; required
   * @param endUser the end user, or null/blank when absent
   * @param requestKey a client-supplied stable key, or null/blank when absent
   */
  static String stableKey(String tenant, String endUser, String requestKey) {
    Objects.requireNonNull(tenant, "tenant");
    if (endUser != null && !endUser.isBlank()) {
      return tenant + ":" + endUser;
    }
    if (requestKey != null && !requestKey.isBlank()) {
      return tenant + ":" + requestKey;
    }
    return tenant;
  }
}
