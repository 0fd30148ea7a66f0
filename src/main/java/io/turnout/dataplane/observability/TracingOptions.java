package io.turnout.dataplane.observability;

import io.turnout.config.ConfigNode;
import java.net.URI;

/**
 * The {@code tracing} section of turnout.yaml: OpenTelemetry spans exported over OTLP/HTTP
 * (protobuf). Off by default; when off, no SDK, exporter or export thread exists.
 *
 * @param enabled whether requests are traced and exported
 * @param endpoint the OTLP/HTTP base URL (spans go to {@code <endpoint>/v1/traces})
 * @param protocol the OTLP protocol; only {@code http/protobuf}
 * @param samplingRatio the share of new traces sampled (0 to 1); a continued trace follows its
 *     parent's sampling decision
 * @param serviceName the {@code service.name} resource attribute
 * @param exportDelayMs how long finished spans wait to be exported in one batch
 */
public record TracingOptions(boolean enabled, String endpoint, String protocol, double samplingRatio,
    String serviceName, long exportDelayMs) {

  public static final String PROTOCOL = "http/protobuf";
  public static final TracingOptions OFF = new TracingOptions(false, "http://127.0.0.1:4318", PROTOCOL, 1.0,
      "turnout", 5_000);

  /** Reads the section (missing fields take {@link #OFF}'s values). */
  public static TracingOptions fromConfig(ConfigNode node) {
    boolean enabled = node.bool("enabled", OFF.enabled());
    String endpoint = node.optString("endpoint", OFF.endpoint());
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw node.error("endpoint", "is not a URL: " + endpoint);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw node.error("endpoint", "must be an http:// or https:// URL with a host, got " + endpoint);
    }
    String protocol = node.optString("protocol", PROTOCOL);
    if (!PROTOCOL.equals(protocol)) {
      throw node.error("protocol", "must be " + PROTOCOL + " (OTLP over HTTP), got " + protocol);
    }
    double ratio = node.doubleValue("sampling_ratio", OFF.samplingRatio(), 0, 1);
    String service = node.optString("service_name", OFF.serviceName());
    if (service.isBlank()) {
      throw node.error("service_name", "must not be empty");
    }
    long delay = node.longValue("export_delay_ms", OFF.exportDelayMs(), 10, 60_000);
    node.finish();
    return new TracingOptions(enabled, endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1)
        : endpoint, protocol, ratio, service, delay);
  }

  /** Where the exporter posts spans. */
  public String tracesUrl() {
    return endpoint + "/v1/traces";
  }
}
