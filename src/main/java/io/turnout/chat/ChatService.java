package io.turnout.chat;

import io.turnout.provider.ChatCall;
import io.turnout.provider.ChatProvider;
import io.turnout.provider.ChunkSink;
import io.turnout.provider.Completion;
import io.turnout.provider.ProviderFailure;
import io.turnout.provider.StreamSummary;
import io.turnout.routing.ModelAlias;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * The data plane's entry: a checked request in, upstream attempts out, an answer or an
 * {@link ApiException} back. Shared by the HTTP front door and the event-bus API of one verticle
 * instance; holds no per-request state.
 */
public final class ChatService {

  private final Map<String, ModelAlias> aliases;
  private final Map<String, ChatProvider> providers;

  public ChatService(Map<String, ModelAlias> aliases, Map<String, ChatProvider> providers) {
    this.aliases = Map.copyOf(aliases);
    this.providers = Map.copyOf(providers);
  }

  /** The app model aliases this node serves. */
  public Set<String> aliases() {
    return aliases.keySet();
  }

  /** One non-streaming request. */
  public Future<ChatAnswer<Completion>> complete(ChatRequest request, String requestId, Future<Void> cancelled) {
    ModelAlias alias = resolve(request);
    ChatProvider provider = providers.get(alias.provider());
    return provider.complete(call(request, alias, requestId, cancelled))
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(new ChatAnswer<>(ar.result(), provider.name(), 1))
            : Future.failedFuture(toApi(ar.cause(), provider.name())));
  }

  /** One streaming request; chunks go to {@code sink} as they arrive. */
  public Future<ChatAnswer<StreamSummary>> stream(ChatRequest request, String requestId, Future<Void> cancelled,
      ChunkSink sink) {
    ModelAlias alias = resolve(request);
    ChatProvider provider = providers.get(alias.provider());
    sink.onAttempt(provider.name(), 1);
    return provider.stream(call(request, alias, requestId, cancelled), sink)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(new ChatAnswer<>(ar.result(), provider.name(), 1))
            : Future.failedFuture(toApi(ar.cause(), provider.name())));
  }

  private ModelAlias resolve(ChatRequest request) {
    ModelAlias alias = aliases.get(request.alias());
    if (alias == null) {
      throw ApiError.modelNotFound(request.alias()).exception();
    }
    return alias;
  }

  private static ChatCall call(ChatRequest request, ModelAlias alias, String requestId, Future<Void> cancelled) {
    return new ChatCall(request.body(), alias.providerModelId(), requestId, request.stream(), request.includeUsage(),
        Long.MAX_VALUE, cancelled);
  }

  private static ApiException toApi(Throwable cause, String provider) {
    if (cause instanceof ApiException api) {
      return api;
    }
    ProviderFailure failure = cause instanceof ProviderFailure f ? f
        : ProviderFailure.of(io.turnout.provider.ErrorClass.NETWORK, "upstream attempt failed");
    return ApiError.fromFailure(failure, provider).exception();
  }
}
