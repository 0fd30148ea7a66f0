package io.turnout.simulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in provider simulator: one HTTP server that plays every configured simulated provider
 * (OpenAI or Anthropic contract, scripted latency and faults) and serves the {@code /_sim} control
 * endpoint. Deploy exactly one instance; all state lives on its event loop.
 *
 * <pre>{@code
 * SimulatorVerticle sim = new SimulatorVerticle(SimulatorOptions.fromConfig(node, secrets));
 * vertx.deployVerticle(sim).await();   // or compose the Future
 * int port = sim.actualPort();         // the bound port, also when configured as 0
 * }</pre>
 */
public final class SimulatorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorVerticle.class);

  private final SimulatorOptions options;
  private final LongSupplier clockMillis;
  private volatile int actualPort = -1;

  /** A simulator on the wall clock. */
  public SimulatorVerticle(SimulatorOptions options) {
    this(options, System::currentTimeMillis);
  }

  /**
   * A simulator with an injected clock, used for the request log's {@code time_ms} and the answers'
   * {@code created}. Delays always run on Vert.x timers.
   */
  public SimulatorVerticle(SimulatorOptions options, LongSupplier clockMillis) {
    this.options = new SimulatorOptions(options);
    this.clockMillis = clockMillis;
  }

  @Override
  public Future<?> start() {
    Map<String, SimProviderState> states = new LinkedHashMap<>();
    options.getProviders().values().forEach(p -> states.put(p.name(), new SimProviderState(p)));
    SimRouter router = new SimRouter(states, new SimProviderEndpoint(vertx, clockMillis), new SimControlApi(states));
    HttpServerOptions serverOptions = new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort());
    return vertx.createHttpServer(serverOptions)
        .requestHandler(router)
        .listen()
        .onSuccess(server -> {
          actualPort = server.actualPort();
          LOG.info("Provider simulator listening on {}:{} with providers {}", options.getHost(), actualPort,
              options.getProviders().values().stream()
                  .map(p -> p.name() + "=" + p.contract().wireName()).collect(Collectors.joining(", ")));
        });
  }

  /** The port the server is bound to, or -1 before the deployment completed. */
  public int actualPort() {
    return actualPort;
  }

  /**
   * The base URL of one simulated provider, e.g. {@code http://127.0.0.1:8091/primary}; the
   * provider's endpoint is this plus {@code /v1/chat/completions} or {@code /v1/messages}.
   */
  public String baseUrl(String provider) {
    if (!options.getProviders().containsKey(provider)) {
      throw new IllegalArgumentException("no simulated provider named " + provider);
    }
    String host = options.getHost();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1"; // bound to every interface: loopback reaches it
    }
    return "http://" + host + ":" + actualPort + "/" + provider;
  }
}
