package io.turnout.dataplane.provider.select;

import io.turnout.dataplane.provider.anthropic.AnthropicCodec;
import io.turnout.dataplane.provider.openai.OpenAiCodec;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.dataplane.provider.HttpChatProvider;
import io.turnout.dataplane.provider.ProviderCodec;
import io.turnout.dataplane.provider.ProviderKeys;
import io.turnout.dataplane.provider.ProviderOptions;

/** Builds providers from their options: the one place a provider kind selects a codec. */
public final class Providers {

  private Providers() {}

  /** The codec of a provider's contract. */
  public static ProviderCodec codec(ProviderOptions options) {
    return switch (options.kind()) {
      case OPENAI -> new OpenAiCodec(options.requestStreamUsage(), System::currentTimeMillis);
      case ANTHROPIC -> new AnthropicCodec(options.defaultMaxTokens(), () -> System.currentTimeMillis() / 1000);
    };
  }

  /**
   * One provider per configured entry, for one event loop.
   *
   * @param instances how many event loops share each provider's connection budget
   */
  public static Map<String, ChatProvider> create(Vertx vertx, Map<String, ProviderOptions> options, int instances) {
    return create(vertx, options, instances, ProviderKeys.NONE);
  }

  /** One provider per configured entry, for one event loop, sending the node's live credentials. */
  public static Map<String, ChatProvider> create(Vertx vertx, Map<String, ProviderOptions> options, int instances,
      ProviderKeys keys) {
    Map<String, ChatProvider> providers = new LinkedHashMap<>();
    options.forEach((name, o) -> {
      int share = Math.max(1, (o.maxConnections() + instances - 1) / instances);
      providers.put(name, new HttpChatProvider(vertx, o, codec(o), share, keys));
    });
    return providers;
  }
}
