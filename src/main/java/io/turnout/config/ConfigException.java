package io.turnout.config;

/**
 * A configuration error that names where it is: the file, the field path inside it and the reason.
 * Its message is safe to log and to show on the admin API: it never quotes a secret's value.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final String path;
  private final String reason;

  public ConfigException(String file, String path, String reason) {
    super(file + ": " + (path.isEmpty() ? "" : path + ": ") + reason);
    this.file = file;
    this.path = path;
    this.reason = reason;
  }

  /** The config file, as given to the loader (e.g. {@code conf/turnout.yaml}). */
  public String file() {
    return file;
  }

  /** The field path inside the file, dotted, with list indexes in brackets: {@code providers.primary.timeouts.connect_ms}. */
  public String path() {
    return path;
  }

  /** Why the value was rejected. */
  public String reason() {
    return reason;
  }
}
