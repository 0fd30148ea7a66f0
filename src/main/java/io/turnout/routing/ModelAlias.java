package io.turnout.routing;

import io.turnout.config.ConfigNode;

/**
 * An app model alias pinned to a provider route and a provider model id: the name clients send
 * as {@code model} never silently means whatever a provider currently calls "latest".
 *
 * @param alias the app alias clients send, e.g. {@code support-summary-v3}
 * @param provider the configured provider that serves it
 * @param providerModelId the exact provider model id sent upstream
 */
public record ModelAlias(String alias, String provider, String providerModelId) {

  /** Reads {@code aliases.<alias>}: {@code provider} and {@code provider_model_id} are both required. */
  public static ModelAlias fromConfig(String alias, ConfigNode node) {
    String provider = node.string("provider");
    String modelId = node.string("provider_model_id");
    node.finish();
    return new ModelAlias(alias, provider, modelId);
  }
}
