package io.turnout.dataplane.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.dataplane.observability.HostileRequests.Hostile;
import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.LogCapture;
import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hundreds of seeded malformed and hostile requests: each gets the 4xx it deserves, in exactly
 * OpenAI's error shape, with one log line and one count, and none of them reaches a provider.
 */
@ExtendWith(VertxExtension.class)
class MalformedRequestsTest {

  private static final long SEED = 20_260_510L;
  private static final int COUNT = 560;
  private static final int MAX_BODY_BYTES = 8_192;
  private static final Set<String> ERROR_FIELDS = Set.of("message", "type", "param", "code");
  private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Test
  void everyHostileRequest_gets4xxInOpenAiShape_andNothingReachesAProvider(Vertx vertx) {
    // GIVEN a node with client keys and a small body limit, in front of a simulator
    Sim sim = Sim.start(vertx);
    String yaml = TestNode.config(sim, 1_000, 1_000, 2_000)
        .replace("  instances: 1\n", "  instances: 1\n  max_body_bytes: " + MAX_BODY_BYTES + "\n") + TestNode.CLIENTS;
    TestNode node = TestNode.start(vertx, yaml);
    List<Hostile> cases = HostileRequests.generate(SEED, COUNT, "client-acme", MAX_BODY_BYTES);
    Map<Integer, Integer> byStatus = new TreeMap<>();
    try (LogCapture requestLog = LogCapture.logger("turnout.request")) {
      // WHEN every one of them is sent
      for (Hostile hostile : cases) {
        TestHttp.Response response = send(node, hostile);

        // THEN each is refused with its status, in OpenAI's error shape
        assertRefused(hostile, response);
        byStatus.merge(response.status(), 1, Integer::sum);
      }

      // AND no provider saw any of them
      for (String provider : List.of("primary", "cometapi", "claude")) {
        assertEquals(0, sim.stats(provider).getInteger("requests"), provider + " was reached");
      }

      // AND the node still serves a valid request afterwards
      TestHttp.Response valid = node.http().chat(new JsonObject().put("model", "chat-primary").put("messages",
          new JsonArray().add(new JsonObject().put("role", "user").put("content", "Still there?"))),
          MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer client-acme"));
      assertEquals(200, valid.status(), valid.text());
      assertEquals(1, sim.stats("primary").getInteger("requests"));

      // AND every request, refused or not, has its one log line and its one count, none a 5xx
      int total = cases.size() + 1;
      Eventually.await(vertx, "a log line for each of the " + total + " requests", 5_000,
          () -> requestLog.lines().size() == total);
      Exposition metrics = Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text());
      assertEquals(total, metrics.sum("turnout_requests_total"));
      byStatus.forEach((status, count) -> assertEquals((double) count, metrics.sum("turnout_requests_total", "status",
          Integer.toString(status)), "count of " + status));
      assertTrue(metrics.find("turnout_requests_total").stream()
          .noneMatch(s -> s.labels().get("status").startsWith("5")), "no 5xx");
    } finally {
      node.stop();
    }
    assertTrue(cases.size() >= 500);
    assertEquals(Set.of(400, 401, 404, 405, 413, 415), byStatus.keySet(), "every kind was exercised: " + byStatus);
  }

  private static void assertRefused(Hostile hostile, TestHttp.Response response) {
    String what = hostile.describe() + "\n -> " + response.status() + " " + response.text();
    assertEquals(hostile.status(), response.status(), what);
    assertTrue(response.header("content-type").startsWith("application/json"), what);
    JsonObject body = new JsonObject(response.body());
    assertEquals(Set.of("error"), body.fieldNames(), what);
    JsonObject error = body.getJsonObject("error");
    assertEquals(ERROR_FIELDS, error.fieldNames(), what);
    assertTrue(error.getValue("message") instanceof String m && !m.isBlank(), what);
    assertTrue(error.getValue("type") instanceof String t && !t.isBlank(), what);
    assertTrue(error.getValue("param") == null || error.getValue("param") instanceof String, what);
    assertTrue(error.getValue("code") == null || error.getValue("code") instanceof String, what);
    if (hostile.paramPrefix() != null) {
      assertNotNull(error.getString("param"), what);
      assertTrue(error.getString("param").startsWith(hostile.paramPrefix()), what);
    }
    String requestId = response.header("x-request-id");
    assertTrue(requestId != null && SANE_REQUEST_ID.matcher(requestId).matches(), what);
    if (hostile.requestId() != null && SANE_REQUEST_ID.matcher(hostile.requestId()).matches()) {
      assertEquals(hostile.requestId(), requestId, what);
    } else {
      assertFalse(requestId.equals(hostile.requestId()), what);
    }
  }

  private static TestHttp.Response send(TestNode node, Hostile hostile) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (hostile.contentType() != null) {
      headers.add("content-type", hostile.contentType());
    }
    if (hostile.authorization() != null) {
      headers.add("authorization", hostile.authorization());
    }
    if (hostile.requestId() != null) {
      headers.add("x-request-id", hostile.requestId());
    }
    if (!hostile.chunked()) {
      return node.http().send(hostile.method(), "/v1/chat/completions", hostile.body(), headers);
    }
    return node.http().raw().request(new RequestOptions().setMethod(hostile.method()).setHost("127.0.0.1")
            .setPort(node.port()).setURI("/v1/chat/completions").setHeaders(headers))
        .compose(request -> request.setChunked(true).send(hostile.body())
            .compose(r -> r.body().map(b -> new TestHttp.Response(r.statusCode(), r.headers(), b))))
        .await();
  }
}
