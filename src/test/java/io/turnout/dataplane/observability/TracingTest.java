package io.turnout.dataplane.observability;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces exported over OTLP/HTTP to a real receiver on loopback: a server span per request that
 * continues the caller's {@code traceparent}, a client span per upstream attempt under it with the
 * routing attributes, the attempt's {@code traceparent} on the upstream request, the ids in the
 * request log line, and never a prompt in any attribute.
 */
@ExtendWith(VertxExtension.class)
class TracingTest {

  private static final String PROMPT = "Summarize ticket PROMPT-MARKER-55721 for the customer.";
  private static final String INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String INCOMING_SPAN = "00f067aa0ba902b7";

  private static Vertx vertx;
  private static Sim sim;
  private static OtlpReceiver receiver;
  private static TestNode node;
  private static LogCapture requestLog;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    requestLog = LogCapture.logger("turnout.request");
    sim = Sim.start(vertx);
    receiver = OtlpReceiver.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 1_000, 1_000, 3_000) + "tracing:\n  enabled: true\n"
        + "  endpoint: http://127.0.0.1:" + receiver.port() + "\n  sampling_ratio: 1.0\n"
        + "  service_name: turnout-test\n  export_delay_ms: 50\n", ObservedRoutes.MAP);
  }

  @AfterAll
  static void stop() {
    node.stop();
    receiver.close();
    requestLog.close();
  }

  @Test
  void aRetriedAndFailedOverRequest_isOneServerSpanWithAClientSpanPerAttempt() {
    // GIVEN a caller's trace context, and a primary that fails twice (attempt and retry)
    sim.reset("primary");
    sim.reset("cometapi");
    sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("times", 2))));

    // WHEN the request is answered by the fallback route
    TestHttp.Response response = node.http().chat(request("chat-fb"), MultiMap.caseInsensitiveMultiMap()
        .add("traceparent", "00-" + INCOMING_TRACE + "-" + INCOMING_SPAN + "-01").add("x-request-id", "traced-fb-1"));
    assertEquals(200, response.status(), response.text());

    // THEN one server span continues the caller's trace
    List<OtlpReceiver.Received> trace = awaitSpans(INCOMING_TRACE, 4);
    List<OtlpReceiver.Received> servers = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).toList();
    assertEquals(1, servers.size(), "one server span: " + trace);
    OtlpReceiver.Received server = servers.get(0);
    assertEquals(INCOMING_SPAN, server.parentSpanId());
    assertEquals("turnout-test", server.serviceName());
    assertEquals("fb-v1", server.attributes().get("turnout.route_version"));
    assertEquals("fallback", server.attributes().get("turnout.route"));
    assertEquals("cometapi", server.attributes().get("turnout.provider"));
    assertEquals("1", server.attributes().get("turnout.retry_count"));
    assertEquals("3", server.attributes().get("turnout.attempts"));
    assertEquals("upstream_5xx", server.attributes().get("turnout.fallback_reason"));
    assertEquals("200", server.attributes().get("http.response.status_code"));
    assertEquals("traced-fb-1", server.attributes().get("turnout.request_id"));

    // AND three client spans, children of it, say provider, route, version, retry/fallback and failure class
    List<OtlpReceiver.Received> attempts = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT)
        .sorted(Comparator.comparing(s -> Integer.parseInt(s.attributes().get("turnout.attempts")))).toList();
    assertEquals(3, attempts.size(), "a span per attempt: " + trace);
    for (OtlpReceiver.Received attempt : attempts) {
      assertEquals(server.spanId(), attempt.parentSpanId(), attempt.toString());
      assertEquals("fb-v1", attempt.attributes().get("turnout.route_version"));
    }
    assertAttempt(attempts.get(0), "primary", "primary", false, false, "upstream_5xx");
    assertAttempt(attempts.get(1), "primary", "primary", true, false, "upstream_5xx");
    assertAttempt(attempts.get(2), "cometapi", "fallback", false, true, null);

    // AND each upstream request carried its own attempt span as traceparent
    JsonArray primaryRequests = sim.requests("primary");
    assertEquals(2, primaryRequests.size());
    assertEquals("00-" + INCOMING_TRACE + "-" + attempts.get(0).spanId() + "-01",
        primaryRequests.getJsonObject(0).getJsonObject("headers").getString("traceparent"));
    assertEquals("00-" + INCOMING_TRACE + "-" + attempts.get(1).spanId() + "-01",
        primaryRequests.getJsonObject(1).getJsonObject("headers").getString("traceparent"));
    assertEquals("00-" + INCOMING_TRACE + "-" + attempts.get(2).spanId() + "-01",
        sim.requests("cometapi").getJsonObject(0).getJsonObject("headers").getString("traceparent"));

    // AND the request log line names the trace and the server span
    JsonObject line = lineFor("traced-fb-1");
    assertEquals(INCOMING_TRACE, line.getString("trace_id"));
    assertEquals(server.spanId(), line.getString("span_id"));

    // AND no attribute of any span holds the prompt
    for (OtlpReceiver.Received span : receiver.spans()) {
      for (String value : span.attributes().values()) {
        assertFalse(value.contains("PROMPT-MARKER"), "prompt text in " + span);
      }
      assertFalse(span.name().contains("PROMPT-MARKER"), span.name());
    }
    assertTrue(receiver.contentTypes().stream().allMatch("application/x-protobuf"::equals),
        receiver.contentTypes().toString());
  }

  @Test
  void aRequestWithoutTraceContext_startsANewTrace() {
    sim.reset("primary");
    TestHttp.Response response = node.http().chat(request("chat-primary"), MultiMap.caseInsensitiveMultiMap()
        .add("x-request-id", "traced-new-1"));
    assertEquals(200, response.status(), response.text());

    JsonObject line = lineFor("traced-new-1");
    String traceId = line.getString("trace_id");
    assertEquals(32, traceId.length(), line.encode());
    assertFalse(traceId.equals(INCOMING_TRACE));
    List<OtlpReceiver.Received> trace = awaitSpans(traceId, 2);
    OtlpReceiver.Received server = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).findFirst()
        .orElseThrow();
    assertEquals("", server.parentSpanId(), "a root span");
    assertEquals(line.getString("span_id"), server.spanId());
    OtlpReceiver.Received attempt = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT).findFirst()
        .orElseThrow();
    assertAttempt(attempt, "primary", "primary", false, false, null);
  }

  @Test
  void tracingIsOffByDefault_noSpanNoHeaderNoIds(Vertx vertx) {
    // GIVEN a node without a tracing section
    Sim plainSim = Sim.start(vertx);
    TestNode plain = TestNode.start(vertx, TestNode.config(plainSim, 1_000, 1_000, 3_000), ObservedRoutes.MAP);
    try {
      TestHttp.Response response = plain.http().chat(request("chat-primary"), MultiMap.caseInsensitiveMultiMap()
          .add("traceparent", "00-" + INCOMING_TRACE + "-" + INCOMING_SPAN + "-01")
          .add("x-request-id", "untraced-1"));
      assertEquals(200, response.status(), response.text());

      // THEN nothing is sent upstream, and the log line's ids are null
      assertNull(plainSim.requests("primary").getJsonObject(0).getJsonObject("headers").getString("traceparent"));
      JsonObject line = lineFor("untraced-1");
      assertTrue(line.containsKey("trace_id") && line.getValue("trace_id") == null, line.encode());
      assertTrue(line.containsKey("span_id") && line.getValue("span_id") == null, line.encode());
      assertFalse(Tracing.create(TracingOptions.OFF).enabled(), "no SDK when off");
    } finally {
      plain.stop();
    }
  }

  @Test
  void samplingRatioZero_dropsNewTraces_butFollowsASampledCaller(Vertx vertx) {
    // GIVEN a node that samples no new trace
    OtlpReceiver own = OtlpReceiver.start(vertx);
    Sim ownSim = Sim.start(vertx);
    TestNode unsampled = TestNode.start(vertx, TestNode.config(ownSim, 1_000, 1_000, 3_000) + "tracing:\n"
        + "  enabled: true\n  endpoint: http://127.0.0.1:" + own.port() + "\n  sampling_ratio: 0.0\n"
        + "  export_delay_ms: 50\n", ObservedRoutes.MAP);
    try {
      // WHEN one request comes without trace context and one from a caller that sampled its trace
      assertEquals(200, unsampled.http().chat(request("chat-primary")).status());
      String sampledTrace = "0af7651916cd43dd8448eb211c80319c";
      assertEquals(200, unsampled.http().chat(request("chat-primary"), MultiMap.caseInsensitiveMultiMap()
          .add("traceparent", "00-" + sampledTrace + "-b7ad6b7169203331-01")).status());

      // THEN only the caller's trace is exported (server and attempt span)
      Eventually.await(vertx, "the sampled trace is exported", 10_000, () -> own.spans().size() >= 2);
      // Stopping flushes whatever else the node still buffered.
      unsampled.node().stop().await();
      assertEquals(2, own.spans().size(), own.spans().toString());
      assertTrue(own.spans().stream().allMatch(s -> s.traceId().equals(sampledTrace)), own.spans().toString());
    } finally {
      unsampled.http().close().await();
      own.close();
    }
  }

  private static void assertAttempt(OtlpReceiver.Received attempt, String provider, String route, boolean retry,
      boolean fallback, String errorClass) {
    assertEquals(provider, attempt.attributes().get("turnout.provider"), attempt.toString());
    assertEquals(route, attempt.attributes().get("turnout.route"), attempt.toString());
    assertEquals(Boolean.toString(retry), attempt.attributes().get("turnout.retry"), attempt.toString());
    assertEquals(Boolean.toString(fallback), attempt.attributes().get("turnout.fallback"), attempt.toString());
    assertEquals(errorClass, attempt.attributes().get("turnout.error_class"), attempt.toString());
  }

  private static List<OtlpReceiver.Received> awaitSpans(String traceId, int count) {
    Eventually.await(vertx, count + " spans of trace " + traceId, 10_000,
        () -> receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).count() >= count);
    return receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  private static JsonObject lineFor(String requestId) {
    Eventually.await(vertx, "the request line of " + requestId, 3_000, () -> requestLog.json().stream()
        .anyMatch(l -> requestId.equals(l.getString("request_id"))));
    return requestLog.json().stream().filter(l -> requestId.equals(l.getString("request_id"))).findFirst()
        .orElseThrow();
  }

  private static JsonObject request(String model) {
    return new JsonObject().put("model", model).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", PROMPT)));
  }
}
