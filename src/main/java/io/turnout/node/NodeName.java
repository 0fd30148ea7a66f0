package io.turnout.node;

import io.turnout.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A member's stable name ({@code node.name}): what audit entries, events, acknowledgements and
 * the admin API call it, the same across restarts. {@code TURNOUT_NODE_NAME} overrides the file;
 * without either it is the host name (a StatefulSet pod's name, {@code turnout-0}), so a restarted
 * member is recognised as the member it was. Pure but for reading the host name.
 */
public final class NodeName {

  /** Overrides {@code node.name}. */
  public static final String ENV = "TURNOUT_NODE_NAME";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private NodeName() {}

  /**
   * The configured name, the environment's, or the host's.
   *
   * @throws ConfigException at {@code node.name} (or the variable) when it is not 1-63 letters,
   *     digits, dots, dashes or underscores, starting with a letter or digit
   */
  public static String resolve(String configured, Map<String, String> env, String file, String path) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return checked(fromEnv.trim(), ENV, "");
    }
    if (configured != null) {
      return checked(configured, file, path);
    }
    return fromHost(env.get("HOSTNAME"));
  }

  /** A host name made into a valid node name (the first label kept whole; other characters become dashes). */
  static String fromHost(String hostnameVariable) {
    String host = hostnameVariable;
    if (host == null || host.isBlank()) {
      host = readHostFile();
    }
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException | SecurityException e) {
        host = "turnout";
      }
    }
    String cleaned = host.trim().replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
    if (cleaned.isEmpty()) {
      return "turnout";
    }
    return cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
  }

  private static String readHostFile() {
    try {
      Path etc = Path.of("/etc/hostname");
      return Files.isReadable(etc) ? Files.readString(etc).trim() : null;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  private static String checked(String name, String file, String path) {
    if (!VALID.matcher(name).matches()) {
      throw new ConfigException(file, path, "must be 1-63 letters, digits, '.', '-' or '_', starting with a letter "
          + "or digit (a member's stable name), got '" + name + "'");
    }
    return name;
  }
}
