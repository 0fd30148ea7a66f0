package io.turnout.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a credential, so that keys callers present are held and compared as digests: a heap
 * dump or a debugger shows no key.
 */
public final class SecretDigest {

  private SecretDigest() {}

  /** The lower-case hex SHA-256 of the UTF-8 bytes. */
  public static String sha256Hex(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
