package io.turnout.controlplane.admin;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretDigest;
import io.turnout.config.SecretResolver;
import java.util.HashMap;
import java.util.Map;

/**
 * Admin bearer tokens mapped to operator names, held as SHA-256 digests only. With no tokens
 * configured the admin API refuses everybody: there is no unauthenticated admin access.
 */
public final class AdminTokens {

  /** Swapped whole on a rotation, so readers on any thread see one consistent set. */
  private volatile Map<String, String> operatorByDigest;

  private AdminTokens(Map<String, String> operatorByDigest) {
    this.operatorByDigest = Map.copyOf(operatorByDigest);
  }

  /**
   * Replaces {@code operator}'s token (a rotated secret file): the old token stops working at
   * once, the new one works from now on. Unknown operators are ignored.
   */
  public synchronized void rotate(String operator, String token) {
    Map<String, String> next = new HashMap<>();
    operatorByDigest.forEach((digest, op) -> {
      if (!op.equals(operator)) {
        next.put(digest, op);
      }
    });
    if (next.size() < operatorByDigest.size()) {
      next.put(SecretDigest.sha256Hex(token.trim()), operator);
      operatorByDigest = Map.copyOf(next);
    }
  }

  /** Reads {@code admin.tokens: {<operator>: <secret reference>}}. */
  public static AdminTokens fromConfig(ConfigNode tokens, SecretResolver secrets) {
    Map<String, String> byDigest = new HashMap<>();
    for (String operator : tokens.keys()) {
      String token = secrets.resolve(tokens, operator);
      if (byDigest.putIfAbsent(SecretDigest.sha256Hex(token), operator) != null) {
        throw tokens.error(operator, "is the same token as another operator's");
      }
    }
    tokens.finish();
    return new AdminTokens(byDigest);
  }

  /** The operator a {@code Authorization: Bearer <token>} value belongs to, or null. */
  public String operator(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return operatorOfToken(authorization.substring(7));
  }

  /** The operator a bare token belongs to (the console's login form), or null. */
  public String operatorOfToken(String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    return operatorByDigest.get(SecretDigest.sha256Hex(token.trim()));
  }
}
