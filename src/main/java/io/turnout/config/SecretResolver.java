package io.turnout.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references, so that conf/ never holds a credential's value.
 *
 * <p>Two forms: {@code ${NAME}} reads the environment variable NAME; {@code file:PATH} reads the
 * file (relative paths resolve against the config directory), trimmed of surrounding white space.
 * Anything else is rejected: a literal key in a config file is a config error. Resolution happens
 * at load time, off the event loop; the {@code file:} references resolved are remembered
 * ({@link #files()}), so a running node can re-read them when they change (key rotation).
 */
public final class SecretResolver {

  /** A {@code file:} secret resolved at {@code field} (e.g. {@code providers.openai.auth.key}). */
  public record FileRef(String field, Path file) {}

  private final java.util.List<FileRef> files = new java.util.ArrayList<>();

  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> environment;
  private final Path baseDir;

  public SecretResolver(Map<String, String> environment, Path baseDir) {
    this.environment = environment;
    this.baseDir = baseDir;
  }

  /** A resolver over the process environment and the given config directory. */
  public static SecretResolver system(Path confDir) {
    return new SecretResolver(System.getenv(), confDir);
  }

  /** The {@code file:} secrets resolved so far, with the field each one is. */
  public java.util.List<FileRef> files() {
    return java.util.List.copyOf(files);
  }

  /** Reads a secret file again (trimmed); fails when it is missing, unreadable or empty. */
  public static String reread(Path file) throws IOException {
    String value = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (value.isEmpty()) {
      throw new IOException("secret file " + file + " is empty");
    }
    return value;
  }

  /** Resolves the reference held at {@code node.key}; errors name the field, never a value. */
  public String resolve(ConfigNode node, String key) {
    String ref = node.string(key);
    return resolve(ref, node, key);
  }

  /** Resolves a reference, or returns null when the field is absent. */
  public String resolveOptional(ConfigNode node, String key) {
    String ref = node.optString(key, null);
    return ref == null ? null : resolve(ref, node, key);
  }

  private String resolve(String ref, ConfigNode node, String key) {
    Matcher env = ENV.matcher(ref);
    if (env.matches()) {
      String value = environment.get(env.group(1));
      if (value == null || value.isBlank()) {
        throw node.error(key, "environment variable " + env.group(1) + " is not set");
      }
      return value.trim();
    }
    if (ref.startsWith("file:")) {
      Path path = baseDir.resolve(ref.substring("file:".length()));
      try {
        String value = Files.readString(path, StandardCharsets.UTF_8).trim();
        if (value.isEmpty()) {
          throw node.error(key, "secret file " + path + " is empty");
        }
        files.add(new FileRef(node.pathOf(key), path));
        return value;
      } catch (IOException e) {
        throw node.error(key, "cannot read secret file " + path + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    throw node.error(key, "must be a secret reference (${ENV_VAR} or file:PATH), not a literal value");
  }
}
