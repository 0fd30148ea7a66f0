package io.turnout.dataplane.http;

import io.turnout.dataplane.bus.ChatBusApi;
import io.turnout.dataplane.chat.ChatService;
import io.turnout.dataplane.acceptance.Acceptance;
import io.turnout.dataplane.drain.Drain;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnout.dataplane.policy.DataPolicyGate;
import io.turnout.dataplane.observability.RequestObserver;
import io.vertx.ext.healthchecks.HealthChecks;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.dataplane.provider.select.Providers;
import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.dataplane.routing.RetryBudget;
import io.turnout.routes.FallbackClearance;
import io.turnout.routes.RouteView;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The data plane of one event loop: the HTTP front door, the event-bus chat API and this loop's
 * own provider connection pools, so a request never leaves the loop it arrived on. Deployed once
 * per core; all instances share the listening port and the node-wide state in {@link Shared}.
 */
public final class RoutingVerticle extends VerticleBase {

  /**
   * What every instance shares: config, the route view, breakers and retry budget.
   *
   * @param instances how many instances are deployed (each gets that share of every provider pool)
   * @param drain what cancels attempts and releases pools after a route change (node-wide)
   * @param autoFallback whether a scope may fail over to its fallback route by itself
   * @param frontDoor the node-wide client limits, open connections and requests in flight
   */
  public record Shared(DataPlaneConfig config, RouteView routes, ProviderBreakers breakers, RetryBudget retryBudget,
      RequestObserver observer, PrometheusMeterRegistry registry, HealthChecks readiness, Clock clock,
      int instances, Drain drain, FallbackClearance autoFallback, FrontDoor frontDoor) {

    /** Shared state with a front door of its own (nothing shuts it down gracefully). */
    public Shared(DataPlaneConfig config, RouteView routes, ProviderBreakers breakers, RetryBudget retryBudget,
        RequestObserver observer, PrometheusMeterRegistry registry, HealthChecks readiness, Clock clock,
        int instances, Drain drain, FallbackClearance autoFallback) {
      this(config, routes, breakers, retryBudget, observer, registry, readiness, clock, instances, drain,
          autoFallback, new FrontDoor(config.http(), registry));
    }

    /** Shared state with a drain of its own (that nothing tells about route changes), failing over freely. */
    public Shared(DataPlaneConfig config, RouteView routes, ProviderBreakers breakers, RetryBudget retryBudget,
        RequestObserver observer, PrometheusMeterRegistry registry, HealthChecks readiness, Clock clock,
        int instances) {
      this(config, routes, breakers, retryBudget, observer, registry, readiness, clock, instances,
          new Drain(routes, config.drainInFlight(), config.providers().keySet(), registry),
          FallbackClearance.UNRESTRICTED);
    }
  }

  private final Shared shared;
  private final IntConsumer boundPort;
  private Map<String, ChatProvider> providers = Map.of();
  private Drain.Attachment drain;

  /**
   * @param boundPort told the port actually bound (useful with port 0)
   */
  public RoutingVerticle(Shared shared, IntConsumer boundPort) {
    this.shared = shared;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    DataPlaneConfig config = shared.config();
    providers = Providers.create(vertx, config.providers(), shared.instances(), config.keys());
    drain = shared.drain().attach(context, providers);
    ChatService service = new ChatService(vertx, config.environment(), shared.routes(), providers, shared.breakers(),
        shared.retryBudget(), shared.observer(), shared.clock(), drain.inFlight(), shared.autoFallback(),
        new Acceptance(config.acceptance()), DataPolicyGate.of(config.dataPolicy(), config.providers()));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // No h2c: its preface detection defers the connection handler until a request has been read,
        // so a client stalling in its first headers would be invisible to the header timeout.
        .setHttp2ClearTextEnabled(false);
    FrontDoor door = shared.frontDoor();
    ConnectionGuard guard = new ConnectionGuard(vertx, door, shared.observer());
    Router router = Routes.create(vertx, service, config.clients(), config.http().maxBodyBytes(),
        shared.observer(), shared.registry(), shared.readiness(), door);
    Future<?> http = vertx.createHttpServer(options)
        .connectionHandler(guard::connected)
        .invalidRequestHandler(new CodecRefusals(shared.observer()))
        .requestHandler(request -> {
          guard.requestArrived(request);
          router.handle(request);
        })
        .listen()
        .onSuccess(server -> {
          door.listening(server);
          boundPort.accept(server.actualPort());
        });
    return Future.all(http, new ChatBusApi(service, config.clients(), shared.observer()).register(vertx));
  }

  @Override
  public Future<?> stop() {
    if (drain != null) {
      drain.detach();
    }
    return Future.join(providers.values().stream().map(ChatProvider::close).toList());
  }
}
