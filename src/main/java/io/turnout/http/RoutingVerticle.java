package io.turnout.http;

import io.turnout.bus.ChatBusApi;
import io.turnout.chat.ChatService;
import io.turnout.node.NodeConfig;
import io.turnout.provider.ChatProvider;
import io.turnout.provider.Providers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The data plane of one event loop: the HTTP front door, the event-bus chat API and this loop's
 * own provider connection pools, so a request never leaves the loop it arrived on. Deployed once
 * per core; all instances share the listening port.
 */
public final class RoutingVerticle extends VerticleBase {

  private final NodeConfig config;
  private final int instances;
  private final IntConsumer boundPort;
  private Map<String, ChatProvider> providers = Map.of();

  /**
   * @param instances how many instances are deployed (each gets that share of every provider pool)
   * @param boundPort told the port actually bound (useful with port 0)
   */
  public RoutingVerticle(NodeConfig config, int instances, IntConsumer boundPort) {
    this.config = config;
    this.instances = instances;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    providers = Providers.create(vertx, config.providers(), instances);
    ChatService service = new ChatService(config.aliases(), providers);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setTcpNoDelay(true)
        .setCompressionSupported(false);
    Future<?> http = vertx.createHttpServer(options)
        .requestHandler(Routes.create(vertx, service, config.http().maxBodyBytes()))
        .listen()
        .onSuccess(server -> boundPort.accept(server.actualPort()));
    return Future.all(http, new ChatBusApi(service).register(vertx));
  }

  @Override
  public Future<?> stop() {
    return Future.join(providers.values().stream().map(ChatProvider::close).toList());
  }
}
