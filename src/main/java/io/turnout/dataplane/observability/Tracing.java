package io.turnout.dataplane.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The node's OpenTelemetry: an SDK exporting batches over OTLP/HTTP when tracing is enabled, or
 * nothing at all ({@link #OFF}: no SDK, no exporter, no thread). Spans are made by
 * {@link RequestSpans}; this class only owns the SDK's life.
 */
public final class Tracing {

  /** The instrumentation scope name of Turnout's spans. */
  public static final String SCOPE = "io.turnout";

  /** Tracing off: every request span is a no-op. */
  public static final Tracing OFF = new Tracing(null, OpenTelemetry.noop());

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetrySdk sdk, OpenTelemetry openTelemetry) {
    this.sdk = sdk;
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  /**
   * The SDK's own logger (java.util.logging), held so its handler stays: its lines (an export that
   * failed, throttled by the SDK) go to logback like every other line, not to stderr.
   */
  private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.opentelemetry");

  /** The SDK for {@code options}, or {@link #OFF} when tracing is disabled. */
  public static Tracing create(TracingOptions options) {
    if (!options.enabled()) {
      return OFF;
    }
    routeSdkLogsToLogback();
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(options.tracesUrl())
        .setTimeout(Duration.ofSeconds(10)).build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), options.serviceName()))))
        // A continued trace keeps its caller's decision; a new one is sampled at the configured ratio.
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.samplingRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(Duration.ofMillis(options.exportDelayMs())).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    return new Tracing(sdk, sdk);
  }

  private static synchronized void routeSdkLogsToLogback() {
    if (SDK_LOG.getUseParentHandlers()) {
      SDK_LOG.setUseParentHandlers(false);
      SDK_LOG.addHandler(new org.slf4j.bridge.SLF4JBridgeHandler());
    }
  }

  /** Whether spans are recorded and exported. */
  public boolean enabled() {
    return sdk != null;
  }

  Tracer tracer() {
    return tracer;
  }

  /** Exports what is buffered and stops the exporter. Blocking (up to 10 s): call off the event loop. */
  public void close() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
