package io.turnout.cli;

import io.turnout.controlplane.probes.ProbeCommands;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A blocking client of a node's admin API (the JDK's HttpClient; the CLI has no event loop):
 * adds the bearer token, and maps each answer to an exit status: a 4xx is a refusal
 * ({@link Exit#REFUSED}, with the node's error code, message and field), a 5xx, a timeout or an
 * unreachable node a failure ({@link Exit#FAILED}).
 */
public final class AdminClient {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Reads and route changes answer at once. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** A probe run or a drill approval (which may run probes) takes up to the node's probe send timeout. */
  public static final Duration LONG_TIMEOUT = Duration.ofMillis(ProbeCommands.RUN_SEND_TIMEOUT_MS).plusSeconds(10);

  private final String baseUrl;
  private final String token;
  private final HttpClient http;

  public AdminClient(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** {@code value} as one URL path segment (a drill id, a route version). */
  public static String segment(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** GET {@code path}: the node's JSON object. */
  public JsonObject get(String path) {
    return json(send(request(path, DEFAULT_TIMEOUT).GET().build()), path);
  }

  /** GET {@code path}: the body as text (the HTML drill report). */
  public String getText(String path) {
    return send(request(path, DEFAULT_TIMEOUT).GET().build());
  }

  /** POST {@code body} to {@code path}, waiting up to {@code timeout}: the node's JSON object. */
  public JsonObject post(String path, JsonObject body, Duration timeout) {
    return json(send(request(path, timeout).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build()), path);
  }

  /** POST with the default timeout. */
  public JsonObject post(String path, JsonObject body) {
    return post(path, body, DEFAULT_TIMEOUT);
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    URI uri;
    try {
      uri = URI.create(baseUrl + path);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(Exit.USAGE, "not a URL: " + baseUrl + path);
    }
    return HttpRequest.newBuilder(uri).timeout(timeout).header("authorization", "Bearer " + token)
        .header("accept", "application/json");
  }

  private String send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new CliFailure(Exit.FAILED, "no answer from " + baseUrl + " within "
          + request.timeout().orElse(DEFAULT_TIMEOUT).toSeconds() + " s (" + request.method() + " "
          + request.uri().getPath() + ")");
    } catch (ConnectException e) {
      throw new CliFailure(Exit.FAILED, "cannot reach the node at " + baseUrl + " (connection refused); set --url or "
          + Target.ENV_URL);
    } catch (IOException e) {
      throw new CliFailure(Exit.FAILED, "cannot reach the node at " + baseUrl + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(Exit.FAILED, "interrupted");
    } catch (IllegalArgumentException e) {
      throw new CliFailure(Exit.USAGE, "not an http(s) URL: " + baseUrl);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    String what = request.method() + " " + request.uri().getPath();
    boolean refused = status >= 400 && status < 500;
    throw new CliFailure(refused ? Exit.REFUSED : Exit.FAILED, (refused ? "refused: " : "failed: ") + status + " " + describe(response.body()) + " (" + what + ")");
  }

  /** The node's OpenAI-shaped error as {@code code: message [field x]}. */
  private static String describe(String body) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      if (error != null) {
        String field = error.getString("param");
        return error.getString("code", "error") + ": " + error.getString("message", "")
            + (field == null ? "" : " [field " + field + "]");
      }
    } catch (DecodeException | ClassCastException e) {
      // not the node's error shape: say so below
    }
    return "(no error details in the answer)";
  }

  private JsonObject json(String body, String path) {
    try {
      return new JsonObject(body);
    } catch (DecodeException e) {
      throw new CliFailure(Exit.FAILED, "the node's answer to " + path + " is not a JSON object");
    }
  }
}
