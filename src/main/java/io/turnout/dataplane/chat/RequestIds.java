package io.turnout.dataplane.chat;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: the client's own when it sent a sane one, else a fresh random one. */
public final class RequestIds {

  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** The client's id when it is 1-128 characters of [A-Za-z0-9._:-], else a new id. */
  public static String fromClient(String clientId) {
    return isSane(clientId) ? clientId : next();
  }

  /** A new 128-bit random id, e.g. {@code req_3f2a...}; ThreadLocalRandom keeps it lock-free on event loops. */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[36];
    out[0] = 'r';
    out[1] = 'e';
    out[2] = 'q';
    out[3] = '_';
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[4 + i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
      out[20 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }

  static boolean isSane(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '_' || c == '.' || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
