package io.turnout.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A simulator on a loopback port with two providers ({@code primary}: OpenAI, {@code claude}:
 * Anthropic) and a plain Vert.x HTTP client to talk to it. All methods are for the test thread.
 */
final class SimTestSupport {

  static final String OPENAI_KEY = "sk-sim-primary-test";
  static final String ANTHROPIC_KEY = "sk-ant-sim-claude-test";
  static final long CLOCK_MS = 1_700_000_000_123L;
  static final String OPENAI_PATH = "/primary/v1/chat/completions";
  static final String ANTHROPIC_PATH = "/claude/v1/messages";

  final Vertx vertx;
  final SimulatorVerticle simulator;
  final HttpClientAgent client;
  /** A client whose connections give up after {@link #IMPATIENT_IDLE_MS} without a byte, to end stall and hang tests. */
  final HttpClientAgent impatientClient;

  static final int IMPATIENT_IDLE_MS = 300;

  private SimTestSupport(Vertx vertx, SimulatorVerticle simulator) {
    this.vertx = vertx;
    this.simulator = simulator;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(simulator.actualPort()));
    this.impatientClient = vertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(simulator.actualPort())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout(IMPATIENT_IDLE_MS));
  }

  /** Deploys a simulator on an ephemeral port with default scripts. */
  static SimTestSupport start(Vertx vertx) {
    SimulatorOptions options = new SimulatorOptions().setEnabled(true).setPort(0)
        .addProvider("primary", SimContractKind.OPENAI, OPENAI_KEY, SimScript.DEFAULT)
        .addProvider("claude", SimContractKind.ANTHROPIC, ANTHROPIC_KEY, SimScript.DEFAULT);
    SimulatorVerticle simulator = new SimulatorVerticle(options, () -> CLOCK_MS);
    vertx.deployVerticle(simulator).await();
    return new SimTestSupport(vertx, simulator);
  }

  // ---- requests -----------------------------------------------------------------------------

  static JsonObject openAiRequest(String... userTexts) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", "Be brief."));
    for (String text : userTexts) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    }
    return new JsonObject().put("model", "gpt-sim-1").put("messages", messages);
  }

  static JsonObject anthropicRequest(String... userTexts) {
    JsonArray messages = new JsonArray();
    for (String text : userTexts) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    }
    return new JsonObject().put("model", "claude-sim-1").put("max_tokens", 256).put("system", "Be brief.")
        .put("messages", messages);
  }

  static RequestOptions openAi() {
    return new RequestOptions().setMethod(HttpMethod.POST).setURI(OPENAI_PATH)
        .putHeader("authorization", "Bearer " + OPENAI_KEY).putHeader("content-type", "application/json");
  }

  static RequestOptions anthropic() {
    return new RequestOptions().setMethod(HttpMethod.POST).setURI(ANTHROPIC_PATH)
        .putHeader("x-api-key", ANTHROPIC_KEY).putHeader("anthropic-version", "2023-06-01")
        .putHeader("content-type", "application/json");
  }

  /** Sends one request and captures whatever comes back, however the exchange ends. */
  Capture send(RequestOptions options, JsonObject body) {
    return send(options, body == null ? Buffer.buffer() : body.toBuffer());
  }

  Capture send(RequestOptions options, Buffer body) {
    return send(client, options, body);
  }

  /** Sends with {@link #impatientClient}: a silent server ends the exchange after a short idle time. */
  Capture sendImpatiently(RequestOptions options, JsonObject body) {
    return send(impatientClient, options, body.toBuffer());
  }

  private static Capture send(HttpClientAgent client, RequestOptions options, Buffer body) {
    Promise<Capture> done = Promise.promise();
    client.request(options)
        .onFailure(t -> done.tryComplete(Capture.noResponse(t)))
        .onSuccess(request -> request.send(body).onComplete(ar -> {
          if (ar.failed()) {
            done.tryComplete(Capture.noResponse(ar.cause()));
            return;
          }
          var response = ar.result();
          Buffer received = Buffer.buffer();
          response.handler(received::appendBuffer);
          response.exceptionHandler(t -> done.tryComplete(
              new Capture(response.statusCode(), response.headers(), received.toString(), false, t)));
          response.endHandler(v -> done.tryComplete(
              new Capture(response.statusCode(), response.headers(), received.toString(), true, null)));
        }));
    try {
      return done.future().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within 10 s for " + options.getURI());
    }
  }

  /** Starts a request and returns it without waiting for the answer (for client-side resets). */
  HttpClientRequest startRequest(RequestOptions options, JsonObject body) {
    HttpClientRequest request = client.request(options).await();
    request.exceptionHandler(t -> { });
    request.end(body.toBuffer());
    return request;
  }

  // ---- control endpoint ---------------------------------------------------------------------

  Capture control(HttpMethod method, String path, Object body) {
    Buffer buffer = body == null ? Buffer.buffer() : Buffer.buffer(body.toString());
    return send(new RequestOptions().setMethod(method).setURI(path), buffer);
  }

  void putScript(String provider, String scriptJson) {
    Capture reply = control(HttpMethod.PUT, "/_sim/providers/" + provider + "/script", scriptJson);
    if (reply.status() != 200) {
      throw new AssertionError("script rejected: " + reply.body());
    }
  }

  JsonObject stats(String provider) {
    return control(HttpMethod.GET, "/_sim/providers/" + provider + "/stats", null).json();
  }

  JsonArray requestLog(String provider) {
    return control(HttpMethod.GET, "/_sim/providers/" + provider + "/requests", null).json().getJsonArray("requests");
  }

  /** Polls the provider's stats until {@code condition} holds (a few seconds at most); timers, no sleeps. */
  JsonObject awaitStats(String provider, Predicate<JsonObject> condition) {
    for (int attempt = 0; attempt < 400; attempt++) {
      JsonObject stats = stats(provider);
      if (condition.test(stats)) {
        return stats;
      }
      vertx.timer(10).await();
    }
    throw new AssertionError("stats never matched: " + stats(provider));
  }

  // ---- captured answers ---------------------------------------------------------------------

  /** One exchange as the client saw it. {@code status} is 0 when no response arrived. */
  record Capture(int status, MultiMap headers, String body, boolean ended, Throwable error) {

    static Capture noResponse(Throwable error) {
      return new Capture(0, MultiMap.caseInsensitiveMultiMap(), "", false, error);
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name);
    }

    List<Event> events() {
      return Event.parse(body);
    }

    /** The data of every event, parsed, skipping {@code [DONE]}. */
    List<JsonObject> dataObjects() {
      List<JsonObject> objects = new ArrayList<>();
      for (Event e : events()) {
        if (!e.data().equals("[DONE]")) {
          objects.add(new JsonObject(e.data()));
        }
      }
      return objects;
    }
  }

  /** A parsed server-sent event: {@code name} null when there was no {@code event:} line. */
  record Event(String name, String data) {

    /** Parses complete events (terminated by a blank line); a trailing partial event is ignored. */
    static List<Event> parse(String text) {
      List<Event> events = new ArrayList<>();
      String name = null;
      StringBuilder data = null;
      int start = 0;
      while (true) {
        int end = text.indexOf('\n', start);
        if (end < 0) {
          return events;
        }
        String line = text.substring(start, end);
        start = end + 1;
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name, data.toString()));
          }
          name = null;
          data = null;
        } else if (line.startsWith("event:")) {
          name = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:")) {
          String value = line.substring("data:".length());
          value = value.startsWith(" ") ? value.substring(1) : value;
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
    }
  }
}
