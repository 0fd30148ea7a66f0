package io.turnout.simulator;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Splits requests between the control endpoint ({@code /_sim/...}) and the simulated providers ({@code /<name>/...}). */
final class SimRouter implements Handler<HttpServerRequest> {

  private final Map<String, SimProviderState> states;
  private final SimProviderEndpoint providers;
  private final SimControlApi control;
  private final SimConnections connections = new SimConnections();

  SimRouter(Map<String, SimProviderState> states, SimProviderEndpoint providers, SimControlApi control) {
    this.states = states;
    this.providers = providers;
    this.control = control;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals(SimControlApi.PREFIX) || path.startsWith(SimControlApi.PREFIX + "/")) {
      control.handle(request);
      return;
    }
    int slash = path.indexOf('/', 1);
    String name = slash < 0 ? path.substring(Math.min(1, path.length())) : path.substring(1, slash);
    SimProviderState state = states.get(name);
    if (state == null) {
      JsonObject error = new JsonObject()
          .put("message", "No simulated provider at " + request.method() + " " + path)
          .put("type", "invalid_request_error")
          .putNull("param")
          .put("code", "unknown_url");
      request.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", error).toBuffer());
      return;
    }
    connections.seen(request.connection(), state);
    providers.handle(request, state, slash < 0 ? "" : path.substring(slash));
  }
}
