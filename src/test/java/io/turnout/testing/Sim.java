package io.turnout.testing;

import io.turnout.simulator.SimContractKind;
import io.turnout.simulator.SimScript;
import io.turnout.simulator.SimulatorOptions;
import io.turnout.simulator.SimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real provider simulator on a loopback port 0, with three providers: {@code primary} and
 * {@code cometapi} (OpenAI contract) and {@code claude} (Anthropic contract), and a small client
 * for its control endpoint. Blocking helpers: call from the test thread, never an event loop.
 */
public final class Sim {

  public static final String PRIMARY_KEY = "sim-primary-test-key";
  public static final String COMETAPI_KEY = "sim-cometapi-test-key";
  public static final String CLAUDE_KEY = "sim-claude-test-key";

  private final SimulatorVerticle verticle;
  private final TestHttp http;

  private Sim(SimulatorVerticle verticle, TestHttp http) {
    this.verticle = verticle;
    this.http = http;
  }

  /** Deploys a simulator and waits for it. */
  public static Sim start(Vertx vertx) {
    return start(vertx, PRIMARY_KEY, COMETAPI_KEY, CLAUDE_KEY);
  }

  /** Deploys a simulator whose providers expect these keys (e.g. canary secrets) and waits for it. */
  public static Sim start(Vertx vertx, String primaryKey, String cometapiKey, String claudeKey) {
    SimulatorOptions options = new SimulatorOptions().setEnabled(true).setHost("127.0.0.1").setPort(0)
        .addProvider("primary", SimContractKind.OPENAI, primaryKey, SimScript.DEFAULT)
        .addProvider("cometapi", SimContractKind.OPENAI, cometapiKey, SimScript.DEFAULT)
        .addProvider("claude", SimContractKind.ANTHROPIC, claudeKey, SimScript.DEFAULT);
    SimulatorVerticle verticle = new SimulatorVerticle(options);
    vertx.deployVerticle(verticle).await();
    return new Sim(verticle, new TestHttp(vertx, verticle.actualPort()));
  }

  public int port() {
    return verticle.actualPort();
  }

  public String baseUrl(String provider) {
    return verticle.baseUrl(provider);
  }

  /** Replaces a provider's script; fails the test if the simulator rejects it. */
  public void script(String provider, JsonObject script) {
    TestHttp.Response response = http.send(HttpMethod.PUT, "/_sim/providers/" + provider + "/script", script.toBuffer());
    if (response.status() != 200) {
      throw new AssertionError("simulator rejected script: " + response.text());
    }
  }

  /** A script with one fault that fires on the next request only. */
  public void nextFault(String provider, JsonObject fault) {
    script(provider, new JsonObject().put("faults", new JsonArray().add(fault.copy().put("times", 1))));
  }

  /** A script with one fault that fires on the next {@code times} requests, then normal answers. */
  public void failNext(String provider, JsonObject fault, int times) {
    script(provider, new JsonObject().put("faults", new JsonArray().add(fault.copy().put("times", times))));
  }

  /** A script with one fault that fires on every request until the next script. */
  public void failAlways(String provider, JsonObject fault) {
    script(provider, new JsonObject().put("faults", new JsonArray().add(fault.copy().put("share", 1.0))));
  }

  /** Back to normal answers. */
  public void reset(String provider) {
    script(provider, new JsonObject());
    http.send(HttpMethod.DELETE, "/_sim/providers/" + provider + "/requests", null);
  }

  /** The provider's request log, oldest first. */
  public JsonArray requests(String provider) {
    return http.send(HttpMethod.GET, "/_sim/providers/" + provider + "/requests", null).json().getJsonArray("requests");
  }

  /** The provider's counters (requests, open_streams, open_exchanges, client_closed). */
  public JsonObject stats(String provider) {
    return http.send(HttpMethod.GET, "/_sim/providers/" + provider + "/stats", null).json();
  }
}
