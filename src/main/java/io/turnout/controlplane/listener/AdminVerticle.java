package io.turnout.controlplane.listener;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.controlplane.console.ConsoleAuth;
import io.turnout.controlplane.console.ConsoleRoutes;
import io.turnout.controlplane.console.ConsoleSessions;
import io.turnout.controlplane.admin.AdminApi;
import io.turnout.controlplane.admin.LoginThrottle;
import io.turnout.controlplane.drills.DrillCommands;
import io.turnout.controlplane.gates.GateCommands;
import io.turnout.controlplane.admin.AdminOptions;
import io.turnout.controlplane.admin.AdminTokens;
import io.turnout.routes.RouteEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import io.turnout.dataplane.http.Routes;

/**
 * The admin listener ({@code admin.host}:{@code admin.port}, 127.0.0.1:8081 by default): the
 * operator API under {@code /admin}, the web console under {@code /console}, and a copy of
 * {@code /metrics} and the health checks. Deployed once per node: it carries operator traffic,
 * not client traffic, and its console sessions live in this one instance.
 */
public final class AdminVerticle extends VerticleBase {

  private final AdminOptions options;
  private final AdminTokens tokens;
  private final PrometheusMeterRegistry registry;
  private final HealthChecks readiness;
  private final Clock clock;
  private final Map<String, String> eventAddresses;
  private final IntConsumer boundPort;

  /**
   * @param eventAddresses what the console's live stream relays: event name -> bus address
   * @param boundPort told the port actually bound (useful with port 0)
   */
  public AdminVerticle(AdminOptions options, AdminTokens tokens, PrometheusMeterRegistry registry,
      HealthChecks readiness, Clock clock, Map<String, String> eventAddresses, IntConsumer boundPort) {
    this.options = options;
    this.tokens = tokens;
    this.registry = registry;
    this.readiness = readiness;
    this.clock = clock;
    this.eventAddresses = eventAddresses;
    this.boundPort = boundPort;
  }

  /** The bus addresses the console relays besides {@code extra}: route, verdict and drill events. */
  public static Map<String, String> consoleEvents(Map<String, String> extra) {
    Map<String, String> addresses = new LinkedHashMap<>();
    addresses.put("route", RouteEvents.ADDRESS);
    addresses.put("verdict", GateCommands.VERDICTS);
    addresses.put("drill", DrillCommands.EVENTS);
    addresses.putAll(extra);
    return addresses;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    Routes.mountOperations(vertx, router, registry, readiness);
    ConsoleSessions sessions = new ConsoleSessions(clock, options.sessionIdle(), options.sessionMax());
    ConsoleAuth auth = new ConsoleAuth(tokens, sessions);
    LoginThrottle throttle = new LoginThrottle(clock);
    AdminApi.mount(vertx, router, auth, throttle);
    Future<Void> console = new ConsoleRoutes(tokens, sessions, auth, throttle).mount(vertx, router, eventAddresses);
    router.get("/").handler(ctx -> ctx.response().setStatusCode(303).putHeader("location", "/console").end());
    router.errorHandler(404, ctx -> error(ctx, 404, "unknown_url", "Unknown admin URL: " + ctx.request().method()
        + " " + ctx.request().path() + "."));
    router.errorHandler(405, ctx -> error(ctx, 405, "method_not_allowed", "Method " + ctx.request().method()
        + " is not allowed here."));
    router.errorHandler(413, ctx -> error(ctx, 413, "request_too_large", "The request body is too large."));
    router.errorHandler(500, ctx -> error(ctx, 500, "internal_error", "internal error"));
    HttpServerOptions server = new HttpServerOptions().setHost(options.host()).setPort(options.port());
    return console.compose(v -> vertx.createHttpServer(server).requestHandler(router).listen())
        .onSuccess(listening -> boundPort.accept(listening.actualPort()));
  }

  private static void error(io.vertx.ext.web.RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message)
            .put("type", status >= 500 ? "api_error" : "invalid_request_error").putNull("param").put("code", code))
            .toBuffer());
  }
}
