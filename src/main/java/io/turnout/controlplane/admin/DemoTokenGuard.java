package io.turnout.controlplane.admin;

import io.turnout.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses a config whose admin API would accept a publicly known demo token from the network:
 * an admin token equal to one shipped in {@code conf/secrets/} while the admin API listens on a
 * non-loopback address. Anyone who has read the README could otherwise change the node's routes.
 * {@code TURNOUT_ALLOW_DEMO_TOKEN=true} allows it for a throwaway demo; a loopback address
 * needs nothing.
 */
public final class DemoTokenGuard {

  /** Set to {@code true} to start with a demo token on a non-loopback admin address anyway. */
  public static final String ENV_ALLOW = "TURNOUT_ALLOW_DEMO_TOKEN";
  /** The admin tokens shipped in conf/secrets/ (admin-alice.token): public, hence no secret. */
  static final List<String> DEMO_TOKENS = List.of("turnout-admin-alice");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private DemoTokenGuard() {}

  /**
   * @param file the config file, for the error
   * @param adminHost the address the admin API listens on
   * @throws ConfigException at {@code admin.tokens.<operator>} when a demo token would be served
   *     beyond loopback without the opt-in
   */
  public static void check(String file, AdminTokens tokens, String adminHost, Map<String, String> env) {
    if (isLoopback(adminHost) || "true".equalsIgnoreCase(String.valueOf(env.get(ENV_ALLOW)).trim())) {
      return;
    }
    for (String demo : DEMO_TOKENS) {
      String operator = tokens.operator("Bearer " + demo);
      if (operator != null) {
        throw new ConfigException(file, "admin.tokens." + operator, "is the publicly known demo token, and the admin"
            + " API listens on " + adminHost + ", beyond loopback: anyone could change the routes. Give the operator"
            + " a token of your own (a secret reference), or let the admin API listen on 127.0.0.1, or set "
            + ENV_ALLOW + "=true for a throwaway demo");
      }
    }
  }

  /**
   * Whether a listen address is loopback only: {@code localhost} or a loopback IP literal. Any
   * other name counts as beyond loopback (no DNS lookup at load time; a name can resolve anywhere).
   */
  static boolean isLoopback(String host) {
    String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false;
    }
    try {
      // An IP literal: parsed, never looked up.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
