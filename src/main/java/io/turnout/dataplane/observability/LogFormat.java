package io.turnout.dataplane.observability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Selects the log format: {@code logback.xml} routes every line through the appender named by the
 * property {@value ObservabilityOptions#ENV_LOG_FORMAT} ({@code json} unless the environment says
 * {@code text}). Logback reads that file before turnout.yaml is loaded, so when the file asks for
 * another format than the one running, the logging configuration is re-read with the property set.
 */
public final class LogFormat {

  private LogFormat() {}

  /** The format the running configuration writes ({@code json} or {@code text}). */
  public static String current() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      String set = context.getProperty(ObservabilityOptions.ENV_LOG_FORMAT);
      if (set != null) {
        return set;
      }
    }
    String env = System.getenv(ObservabilityOptions.ENV_LOG_FORMAT);
    return "text".equalsIgnoreCase(env == null ? "" : env.strip()) ? "text" : "json";
  }

  /**
   * Switches to {@code format} ({@code json} or {@code text}) if it is not the one running.
   *
   * @return whether the configuration was re-read
   */
  public static boolean apply(String format) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL config = LogFormat.class.getResource("/logback.xml");
    if (!(factory instanceof LoggerContext context) || config == null || format.equals(current())) {
      return false;
    }
    context.reset();
    context.putProperty(ObservabilityOptions.ENV_LOG_FORMAT, format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      // Logback reports its own configuration errors on its status channel; the node keeps running.
      return false;
    }
    return true;
  }
}
