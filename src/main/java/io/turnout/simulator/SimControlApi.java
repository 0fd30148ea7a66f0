package io.turnout.simulator;

import io.turnout.config.ConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The simulator's control endpoint under {@code /_sim}: read and replace scripts, read and clear
 * request logs, read counters. Unauthenticated by design, which is why the simulator binds to
 * loopback by default.
 */
final class SimControlApi {

  static final String PREFIX = "/_sim";

  private final Map<String, SimProviderState> states;

  SimControlApi(Map<String, SimProviderState> states) {
    this.states = states;
  }

  void handle(HttpServerRequest request) {
    String[] parts = request.path().substring(PREFIX.length()).split("/");
    // "/providers/N/what" splits into ["", "providers", "N", "what"]
    if (parts.length < 2 || parts.length > 4 || !parts[0].isEmpty() || !parts[1].equals("providers")) {
      notFound(request, "no control resource at " + request.path());
      return;
    }
    if (parts.length == 2) {
      if (allow(request, HttpMethod.GET)) {
        JsonArray list = new JsonArray();
        states.values().forEach(s -> list.add(s.describe()));
        json(request, 200, new JsonObject().put("providers", list));
      }
      return;
    }
    SimProviderState state = states.get(parts[2]);
    if (state == null) {
      notFound(request, "unknown simulated provider '" + parts[2] + "'");
      return;
    }
    String resource = parts.length == 3 ? "" : parts[3];
    switch (resource) {
      case "" -> {
        if (allow(request, HttpMethod.GET)) {
          json(request, 200, state.describe());
        }
      }
      case "script" -> script(request, state);
      case "requests" -> {
        if (allow(request, HttpMethod.GET, HttpMethod.DELETE)) {
          if (request.method() == HttpMethod.DELETE) {
            state.clearRequestLog();
          }
          json(request, 200, new JsonObject().put("requests", state.requestLog()));
        }
      }
      case "stats" -> {
        if (allow(request, HttpMethod.GET)) {
          json(request, 200, state.stats());
        }
      }
      default -> notFound(request, "no control resource at " + request.path());
    }
  }

  private void script(HttpServerRequest request, SimProviderState state) {
    if (!allow(request, HttpMethod.GET, HttpMethod.PUT)) {
      return;
    }
    if (request.method() == HttpMethod.GET) {
      json(request, 200, state.script().toJson());
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject json = parseObject(body);
      if (json == null) {
        json(request, 400, error("the script must be a JSON object"));
        return;
      }
      try {
        SimScript script = SimScript.fromJson(json);
        state.replaceScript(script);
        json(request, 200, script.toJson());
      } catch (ConfigException e) {
        JsonObject details = new JsonObject().put("message", e.getMessage()).put("path", e.path()).put("reason", e.reason());
        json(request, 400, new JsonObject().put("error", details));
      }
    });
  }

  private static JsonObject parseObject(Buffer body) {
    try {
      return new JsonObject(body);
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  private static boolean allow(HttpServerRequest request, HttpMethod... methods) {
    StringBuilder allowed = new StringBuilder();
    for (HttpMethod m : methods) {
      if (m == request.method()) {
        return true;
      }
      allowed.append(allowed.length() == 0 ? "" : ", ").append(m.name());
    }
    request.response().putHeader("allow", allowed.toString());
    json(request, 405, error("method " + request.method() + " not allowed here; allowed: " + allowed));
    return false;
  }

  private static void notFound(HttpServerRequest request, String message) {
    json(request, 404, error(message));
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message));
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
