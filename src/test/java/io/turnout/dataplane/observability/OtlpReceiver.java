package io.turnout.dataplane.observability;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OTLP/HTTP trace receiver on a loopback port: {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} in protobuf, decoded with the OpenTelemetry proto classes.
 */
final class OtlpReceiver {

  /** A received span: ids in hex, attributes as strings. */
  record Received(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
      Map<String, String> attributes, String serviceName) {}

  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  private OtlpReceiver(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(req -> {
      if (req.method() != HttpMethod.POST || !"/v1/traces".equals(req.path())) {
        req.response().setStatusCode(404).end();
        return;
      }
      contentTypes.add(req.getHeader("content-type"));
      req.body().onSuccess(body -> {
        try {
          decode(ExportTraceServiceRequest.parseFrom(body.getBytes()));
          req.response().putHeader("content-type", "application/x-protobuf")
              .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
        } catch (InvalidProtocolBufferException e) {
          req.response().setStatusCode(400).end();
        }
      });
    });
  }

  static OtlpReceiver start(Vertx vertx) {
    OtlpReceiver receiver = new OtlpReceiver(vertx);
    receiver.server.listen(0, "127.0.0.1").await();
    return receiver;
  }

  int port() {
    return server.actualPort();
  }

  List<Received> spans() {
    return List.copyOf(spans);
  }

  List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  void close() {
    server.close().await();
  }

  private void decode(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    request.getResourceSpansList().forEach(rs -> {
      String service = rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
          .map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
      rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(span -> {
        Map<String, String> attributes = new HashMap<>();
        for (KeyValue kv : span.getAttributesList()) {
          attributes.put(kv.getKey(), switch (kv.getValue().getValueCase()) {
            case BOOL_VALUE -> Boolean.toString(kv.getValue().getBoolValue());
            case INT_VALUE -> Long.toString(kv.getValue().getIntValue());
            case DOUBLE_VALUE -> Double.toString(kv.getValue().getDoubleValue());
            default -> kv.getValue().getStringValue();
          });
        }
        spans.add(new Received(hex.formatHex(span.getTraceId().toByteArray()),
            hex.formatHex(span.getSpanId().toByteArray()), hex.formatHex(span.getParentSpanId().toByteArray()),
            span.getName(), span.getKind(), attributes, service));
      }));
    });
  }
}
