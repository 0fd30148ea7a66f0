package io.turnout.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Script parsing and validation: pure, no Vert.x. */
class SimScriptTest {

  @Test
  void fullScriptRoundTripsThroughJson() {
    // GIVEN a script using every fault kind
    JsonObject json = new JsonObject("""
        {"latency": {"distribution": "uniform", "min_ms": 5, "max_ms": 50},
         "chunk_interval_ms": 3, "usage": false, "seed": 42,
         "faults": [
           {"kind": "status", "status": 500, "share": 0.02},
           {"kind": "status", "status": 429, "share": 0.01, "retry_after_s": 1},
           {"kind": "status", "status": 400, "error_code": "content_filter", "times": 1},
           {"kind": "status", "status": 503, "body": "<html>down</html>", "content_type": "text/html", "times": 2},
           {"kind": "malformed", "variant": "missing_stop_reason", "times": 1},
           {"kind": "wrong_content_type", "times": 1},
           {"kind": "stall", "after_chunks": 2, "times": 1},
           {"kind": "cut", "after_chunks": 2, "times": 1},
           {"kind": "error_chunk", "after_chunks": 1, "error_type": "server_error", "times": 1},
           {"kind": "hang", "times": 1},
           {"kind": "reset", "times": 1}
         ]}""");

    // WHEN it is parsed and written back
    SimScript script = SimScript.fromJson(json);

    // THEN nothing is lost, and aliases come back under their canonical name
    assertEquals(11, script.faults().size());
    assertEquals(MalformedVariant.MISSING_FINISH_REASON, script.faults().get(4).variant());
    assertEquals(script, SimScript.fromJson(script.toJson()));
    assertEquals("fault:status:429", script.faults().get(1).outcome());
    assertEquals(1, script.faults().get(1).retryAfterSeconds());
    assertEquals(-1, script.faults().get(0).retryAfterSeconds());
  }

  @Test
  void emptyScriptIsTheDefault() {
    assertEquals(SimScript.DEFAULT, SimScript.fromJson(new JsonObject()));
    assertEquals(SimScript.DEFAULT, SimScript.fromJson(SimScript.DEFAULT.toJson()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"latency_ms\": -1}                                            | latency_ms",
      "{\"latency_ms\": 1.5}                                           | latency_ms",
      "{\"latency_ms\": 1, \"latency\": {\"distribution\": \"fixed\", \"ms\": 1}} | latency",
      "{\"latency\": {\"distribution\": \"poisson\"}}                  | latency.distribution",
      "{\"latency\": {\"distribution\": \"uniform\", \"min_ms\": 9, \"max_ms\": 3}} | latency.max_ms",
      "{\"latency\": {\"distribution\": \"normal\", \"mean_ms\": 9}}     | latency.stddev_ms",
      "{\"usage\": \"yes\"}                                             | usage",
      "{\"sede\": 1}                                                    | sede",
      "{\"faults\": {}}                                                 | faults",
      "{\"faults\": [{\"kind\": \"explode\", \"times\": 1}]}            | faults[0].kind",
      "{\"faults\": [{\"kind\": \"hang\"}]}                             | faults[0]",
      "{\"faults\": [{\"kind\": \"hang\", \"times\": 1, \"share\": 0.5}]} | faults[0]",
      "{\"faults\": [{\"kind\": \"hang\", \"times\": 0}]}                | faults[0].times",
      "{\"faults\": [{\"kind\": \"hang\", \"share\": 0}]}                | faults[0].share",
      "{\"faults\": [{\"kind\": \"hang\", \"share\": 1.5}]}              | faults[0].share",
      "{\"faults\": [{\"kind\": \"hang\", \"share\": 0.6}, {\"kind\": \"reset\", \"share\": 0.6}]} | faults",
      "{\"faults\": [{\"kind\": \"status\", \"times\": 1}]}              | faults[0].status",
      "{\"faults\": [{\"kind\": \"status\", \"status\": 200, \"times\": 1}]} | faults[0].status",
      "{\"faults\": [{\"kind\": \"status\", \"status\": 500, \"content_type\": \"text/html\", \"times\": 1}]} | faults[0].content_type",
      "{\"faults\": [{\"kind\": \"status\", \"status\": 500, \"retry_after_s\": -3, \"times\": 1}]} | faults[0].retry_after_s",
      "{\"faults\": [{\"kind\": \"malformed\", \"times\": 1}]}           | faults[0].variant",
      "{\"faults\": [{\"kind\": \"malformed\", \"variant\": \"bad\", \"times\": 1}]} | faults[0].variant",
      "{\"faults\": [{\"kind\": \"hang\", \"times\": 1}, {\"kind\": \"stall\", \"after_chunks\": 1, \"status\": 500, \"times\": 1}]} | faults[1].status",
      "{\"faults\": [{\"kind\": \"cut\", \"after_chunks\": \"2\", \"times\": 1}]} | faults[0].after_chunks",
  })
  void invalidScriptsNameTheFieldPath(String json, String path) {
    ConfigException e = assertThrows(ConfigException.class, () -> SimScript.fromJson(new JsonObject(json)));
    assertEquals(path, e.path(), e.getMessage());
    assertTrue(e.getMessage().startsWith("script: " + path), e.getMessage());
  }

  @Test
  void latencyModelsStayInRangeAndAreReproducible() {
    LatencyModel uniform = SimScript.fromJson(new JsonObject(
        "{\"latency\": {\"distribution\": \"uniform\", \"min_ms\": 5, \"max_ms\": 7}}")).latency();
    LatencyModel normal = LatencyModel.normal(10, 50);
    Random a = new Random(7);
    Random b = new Random(7);
    for (int i = 0; i < 200; i++) {
      long u = uniform.sampleMillis(a);
      assertTrue(u >= 5 && u <= 7, "uniform sample " + u);
      assertEquals(u, uniform.sampleMillis(b));
      long n = normal.sampleMillis(a);
      assertTrue(n >= 0, "normal sample " + n);
      assertEquals(n, normal.sampleMillis(b));
    }
    assertInstanceOf(LatencyModel.Fixed.class, SimScript.fromJson(new JsonObject("{\"latency_ms\": 3}")).latency());
  }
}
