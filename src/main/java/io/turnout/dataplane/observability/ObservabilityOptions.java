package io.turnout.dataplane.observability;

import io.turnout.config.ConfigNode;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code tracing} and {@code logging} sections of turnout.yaml.
 *
 * @param tracing OpenTelemetry export ({@link TracingOptions#OFF} by default)
 * @param logFormat {@code json} (one JSON object per line, the default) or {@code text} (for a
 *     terminal); the environment variable {@value #ENV_LOG_FORMAT} wins over the file
 */
public record ObservabilityOptions(TracingOptions tracing, String logFormat) {

  /** Selects the log format, over {@code logging.format}. */
  public static final String ENV_LOG_FORMAT = "TURNOUT_LOG_FORMAT";
  public static final ObservabilityOptions DEFAULT = new ObservabilityOptions(TracingOptions.OFF, "json");

  /** Reads both sections of the root. */
  public static ObservabilityOptions fromConfig(ConfigNode root, Map<String, String> env) {
    TracingOptions tracing = TracingOptions.fromConfig(root.child("tracing"));
    ConfigNode logging = root.child("logging");
    String format = logging.optString("format", "json");
    if (!format.equals("json") && !format.equals("text")) {
      throw logging.error("format", "must be json or text, got " + format);
    }
    logging.finish();
    String fromEnv = env.get(ENV_LOG_FORMAT);
    if (fromEnv != null && !fromEnv.isBlank()) {
      format = fromEnv.strip().toLowerCase(Locale.ROOT).equals("text") ? "text" : "json";
    }
    return new ObservabilityOptions(tracing, format);
  }
}
