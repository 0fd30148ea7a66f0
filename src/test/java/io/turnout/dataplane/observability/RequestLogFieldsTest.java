package io.turnout.dataplane.observability;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.bus.ChatBusApi;
import io.turnout.testing.Eventually;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code turnout.request} line, as the production encoder writes it, carries every field the
 * runbook asks for ("Observability fields to add before fallback"), with the values the client
 * and the provider actually saw: one line per request.
 */
@ExtendWith(VertxExtension.class)
class RequestLogFieldsTest {

  /** The runbook's fields: present in every line, null where they do not apply. */
  static final List<String> RUNBOOK_FIELDS = List.of("llm_route", "llm_route_version", "provider", "provider_model",
      "app_model_alias", "request_id", "provider_request_id", "tenant_or_cohort", "http_status", "error_class",
      "retry_count", "fallback_attempted", "fallback_reason", "timeout_ms", "latency_ms", "input_token_count",
      "output_token_count", "usage_source", "rollback_candidate");

  private static final String ACME = "Bearer client-acme";
  private static final String INTERNAL = "Bearer client-internal";

  private static Vertx vertx;
  private static Sim sim;
  private static TestNode node;
  private static LogCapture requestLog;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    requestLog = LogCapture.logger("turnout.request");
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, TestNode.config(sim, 2_000, 2_000, 5_000) + TestNode.CLIENTS, ObservedRoutes.MAP);
  }

  @AfterAll
  static void stop() {
    node.stop();
    requestLog.close();
  }

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
    sim.reset("cometapi");
  }

  @Test
  void success_carriesRouteProviderIdsCohortAndTheUsageTheClientGot() {
    // WHEN acme's request with its own request id is answered by the primary
    TestHttp.Response response = node.http().chat(request("chat-primary"),
        headers(ACME).add("x-request-id", "log-fields-ok-1"));

    // THEN its line names the route, the provider, both request ids and the usage
    assertEquals(200, response.status(), response.text());
    JsonObject line = lineFor(response);
    assertEquals("log-fields-ok-1", line.getString("request_id"));
    assertEquals("primary", line.getString("llm_route"));
    assertEquals("primary-v1", line.getString("llm_route_version"));
    assertEquals("primary", line.getString("provider"));
    assertEquals("gpt-4o-mini-2024-07-18", line.getString("provider_model"));
    assertEquals(response.json().getString("model"), line.getString("provider_model"));
    assertEquals("chat-primary", line.getString("app_model_alias"));
    assertEquals(lastProviderRequestId("primary"), line.getString("provider_request_id"));
    assertEquals("acme", line.getString("tenant_or_cohort"));
    assertEquals(200, line.getInteger("http_status"));
    assertNull(line.getString("error_class"));
    assertEquals(0, line.getInteger("retry_count"));
    assertFalse(line.getBoolean("fallback_attempted"));
    assertNull(line.getString("fallback_reason"));
    assertEquals(30_000, line.getInteger("timeout_ms"));
    assertTrue(line.getLong("latency_ms") >= 0);
    JsonObject usage = response.json().getJsonObject("usage");
    assertEquals(usage.getLong("prompt_tokens"), line.getLong("input_token_count"));
    assertEquals(usage.getLong("completion_tokens"), line.getLong("output_token_count"));
    assertEquals("provider", line.getString("usage_source"));
    assertFalse(line.getBoolean("rollback_candidate"));
  }

  @Test
  void fallback_afterTheRetryFailedToo_namesTheFallbackRouteTheRetryAndTheReason() {
    // GIVEN the primary fails twice: the first attempt and its one retry (default retry policy)
    sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("times", 2))));

    // WHEN the internal cohort asks for the alias with a fallback route
    TestHttp.Response response = node.http().chat(request("chat-fb"), headers(INTERNAL));

    // THEN cometapi answered on the fallback route, and the line says why it moved there
    assertEquals(200, response.status(), response.text());
    assertEquals("3", response.header("x-turnout-attempts"));
    JsonObject line = lineFor(response);
    assertEquals("fallback", line.getString("llm_route"));
    assertEquals("fb-v1", line.getString("llm_route_version"));
    assertEquals("cometapi", line.getString("provider"));
    assertEquals("gpt-4o-mini", line.getString("provider_model"));
    assertEquals("chat-fb", line.getString("app_model_alias"));
    assertEquals(lastProviderRequestId("cometapi"), line.getString("provider_request_id"));
    assertEquals("internal", line.getString("tenant_or_cohort"));
    assertEquals(200, line.getInteger("http_status"));
    assertNull(line.getString("error_class"));
    assertEquals(1, line.getInteger("retry_count"));
    assertTrue(line.getBoolean("fallback_attempted"));
    assertEquals("upstream_5xx", line.getString("fallback_reason"));
    assertEquals(20_000, line.getInteger("timeout_ms"));
    assertEquals(response.json().getJsonObject("usage").getLong("prompt_tokens"), line.getLong("input_token_count"));
    assertEquals("provider", line.getString("usage_source"));
    assertFalse(line.getBoolean("rollback_candidate"), "the fallback route answered: no evidence against it");
  }

  @Test
  void providerValidationFailure_carriesTheClassTheProviderIdAndThePinnedModel() {
    // GIVEN the provider refuses the next request as invalid
    sim.nextFault("primary", status(400));

    // WHEN a client asks
    TestHttp.Response response = node.http().chat(request("chat-primary"), headers(ACME));

    // THEN the line has the failure's status and class, and still names what was attempted
    assertEquals(400, response.status(), response.text());
    JsonObject line = lineFor(response);
    assertEquals(400, line.getInteger("http_status"));
    assertEquals("validation", line.getString("error_class"));
    assertEquals("primary", line.getString("llm_route"));
    assertEquals("primary-v1", line.getString("llm_route_version"));
    assertEquals("primary", line.getString("provider"));
    assertEquals("gpt-4o-mini-2024-07-18", line.getString("provider_model"),
        "a failed request still says which pinned model it asked for");
    assertEquals(lastProviderRequestId("primary"), line.getString("provider_request_id"));
    assertEquals("acme", line.getString("tenant_or_cohort"));
    assertEquals(0, line.getInteger("retry_count"), "validation errors are never retried");
    assertFalse(line.getBoolean("fallback_attempted"));
    assertNull(line.getValue("input_token_count"));
    assertNull(line.getValue("output_token_count"));
    assertEquals("none", line.getString("usage_source"));
    assertFalse(line.getBoolean("rollback_candidate"), "a failure on the primary route is not evidence against the fallback");
  }

  @Test
  void streamWithIncludeUsage_countsTheUsageOfTheLastChunk() {
    // WHEN a client streams and asks for usage
    JsonObject streamRequest = request("chat-primary").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true));
    TestHttp.Response response = node.http().chat(streamRequest, headers(ACME));

    // THEN the usage in the line is the usage chunk the client got
    assertEquals(200, response.status());
    JsonObject usage = null;
    for (String[] event : response.events()) {
      if (!"[DONE]".equals(event[1]) && new JsonObject(event[1]).getValue("usage") instanceof JsonObject u) {
        usage = u;
      }
    }
    assertNotNull(usage, "the client asked for a usage chunk");
    JsonObject line = lineFor(response);
    assertEquals(200, line.getInteger("http_status"));
    assertEquals(usage.getLong("prompt_tokens"), line.getLong("input_token_count"));
    assertEquals(usage.getLong("completion_tokens"), line.getLong("output_token_count"));
    assertEquals("provider", line.getString("usage_source"));
    assertEquals(lastProviderRequestId("primary"), line.getString("provider_request_id"));
    assertTrue(line.getBoolean("stream"));
    assertTrue(line.getLong("first_chunk_ms") >= 0);
    assertTrue(line.getLong("latency_ms") >= line.getLong("first_chunk_ms"));
  }

  @Test
  void providerWithoutUsageTelemetry_logsUsageSourceNoneAndNoCounts() {
    // GIVEN a provider that reports no usage
    sim.script("primary", new JsonObject().put("usage", false));

    // WHEN a client asks
    TestHttp.Response response = node.http().chat(request("chat-primary"), headers(ACME));

    // THEN the line says so instead of inventing counts
    assertEquals(200, response.status(), response.text());
    assertNull(response.json().getValue("usage"));
    JsonObject line = lineFor(response);
    assertEquals("none", line.getString("usage_source"));
    assertNull(line.getValue("input_token_count"));
    assertNull(line.getValue("output_token_count"));
  }

  @Test
  void failureOnTheFallbackRoute_isARollbackCandidate() {
    // GIVEN the alias is served by the fallback route only, and its provider fails
    sim.nextFault("cometapi", status(500));

    // WHEN a client asks
    TestHttp.Response response = node.http().chat(request("chat-fbonly"), headers(ACME));

    // THEN the failure counts as evidence for rolling the fallback route back
    assertEquals(502, response.status(), response.text());
    JsonObject line = lineFor(response);
    assertEquals("fallback", line.getString("llm_route"));
    assertEquals("fbonly-v1", line.getString("llm_route_version"));
    assertEquals("cometapi", line.getString("provider"));
    assertEquals("upstream_5xx", line.getString("error_class"));
    assertEquals(502, line.getInteger("http_status"));
    assertEquals(15_000, line.getInteger("timeout_ms"));
    assertFalse(line.getBoolean("fallback_attempted"), "the route map put it there; nothing fell back");
    assertTrue(line.getBoolean("rollback_candidate"));
  }

  @Test
  void eventBusRequest_getsTheSameLine() {
    // WHEN a JVM caller asks on the bus with its own request id
    Message<Object> reply = vertx.eventBus().request(ChatBusApi.ADDRESS, request("chat-primary"),
        new DeliveryOptions().addHeader("authorization", ACME).addHeader("x-request-id", "log-fields-bus-1")).await();

    // THEN its line is written like an HTTP one
    JsonObject line = lineFor("log-fields-bus-1");
    assertEquals(200, line.getInteger("http_status"));
    assertEquals("primary-v1", line.getString("llm_route_version"));
    assertEquals("acme", line.getString("tenant_or_cohort"));
    assertEquals(((JsonObject) reply.body()).getJsonObject("usage").getLong("completion_tokens"),
        line.getLong("output_token_count"));
  }

  @Test
  void requestRefusedBeforeRouting_stillGetsItsLine() {
    // WHEN a caller presents no key
    TestHttp.Response response = node.http().chat(request("chat-primary"));

    // THEN the refusal is logged, with nothing routed
    assertEquals(401, response.status());
    JsonObject line = lineFor(response);
    assertEquals(401, line.getInteger("http_status"));
    assertNull(line.getString("llm_route_version"));
    assertNull(line.getString("provider"));
    assertNull(line.getString("tenant_or_cohort"));
    assertEquals("none", line.getString("usage_source"));
  }

  /** The one line of the response's request, once written (it is written as the answer ends). */
  private static JsonObject lineFor(TestHttp.Response response) {
    assertNotNull(response.header("x-request-id"));
    return lineFor(response.header("x-request-id"));
  }

  private static JsonObject lineFor(String requestId) {
    Eventually.await(vertx, "the request line of " + requestId, 3_000, () -> !lines(requestId).isEmpty());
    List<JsonObject> lines = lines(requestId);
    assertEquals(1, lines.size(), "one line per request: " + lines);
    JsonObject line = lines.get(0);
    assertEquals("chat request", line.getString("message"));
    for (String field : RUNBOOK_FIELDS) {
      assertTrue(line.containsKey(field), "field " + field + " missing from " + line.encode());
    }
    return line;
  }

  private static List<JsonObject> lines(String requestId) {
    return requestLog.json().stream().filter(l -> requestId.equals(l.getString("request_id"))).toList();
  }

  /** The {@code x-request-id} the simulator answered its latest request with. */
  private static String lastProviderRequestId(String provider) {
    JsonArray requests = sim.requests(provider);
    return "sim-" + provider + "-" + requests.getJsonObject(requests.size() - 1).getLong("seq");
  }

  private static JsonObject request(String alias) {
    return new JsonObject().put("model", alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));
  }

  private static MultiMap headers(String authorization) {
    return MultiMap.caseInsensitiveMultiMap().add("authorization", authorization);
  }
}
