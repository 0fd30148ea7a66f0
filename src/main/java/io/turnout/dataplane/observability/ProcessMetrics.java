package io.turnout.dataplane.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The process around the node: Micrometer's JVM and system binders ({@code jvm_*},
 * {@code process_*}, {@code system_*}), {@code turnout_build_info} and the count of log lines the
 * async appender dropped. {@link #close()} releases the GC listener.
 */
public final class ProcessMetrics implements AutoCloseable {

  public static final String BUILD_INFO = "turnout.build.info";
  public static final String LOG_LINES_DROPPED = "turnout.log.lines.dropped";

  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ProcessMetrics(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder(BUILD_INFO, () -> 1).tags("version", version(), "java_version", System.getProperty("java.version"))
        .description("1, with the Turnout version and the Java runtime version as labels").register(registry);
    FunctionCounter.builder(LOG_LINES_DROPPED, CountingAsyncAppender.class, c -> CountingAsyncAppender.dropped())
        .description("Log lines dropped because the async appender's queue was full").register(registry);
  }

  /** The version Maven wrote into {@code turnout-build.properties}, or {@code unknown}. */
  public static String version() {
    try (InputStream in = ProcessMetrics.class.getResourceAsStream("/turnout-build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    gc.close();
  }
}
