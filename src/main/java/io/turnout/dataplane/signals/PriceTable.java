package io.turnout.dataplane.signals;

import io.turnout.config.ConfigNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What tokens cost, per provider and provider model id ({@code *} for any model of a provider),
 * in US dollars per million tokens: the basis of the {@code cost_usd} signal. A model without a
 * price costs 0, so the cost signal is an estimate and says so.
 */
public final class PriceTable {

  /** Prices of one model, in US dollars per million tokens. */
  record Price(double inputPerMillion, double outputPerMillion) {}

  public static final PriceTable NONE = new PriceTable(Map.of());

  private final Map<String, Map<String, Price>> byProvider;

  private PriceTable(Map<String, Map<String, Price>> byProvider) {
    this.byProvider = byProvider;
  }

  /** Reads {@code prices: {provider: {model_id or *: {input_per_million_usd, output_per_million_usd}}}}. */
  public static PriceTable fromConfig(ConfigNode node, Set<String> providers) {
    Map<String, Map<String, Price>> table = new HashMap<>();
    for (String provider : node.keys()) {
      if (!providers.contains(provider)) {
        throw node.error(provider, "unknown provider; configured: " + String.join(", ", providers));
      }
      ConfigNode models = node.child(provider);
      Map<String, Price> prices = new HashMap<>();
      for (String model : models.keys()) {
        ConfigNode price = models.child(model);
        prices.put(model, new Price(price.doubleValue("input_per_million_usd", 0, 0, 1_000_000),
            price.doubleValue("output_per_million_usd", 0, 0, 1_000_000)));
        price.finish();
      }
      table.put(provider, Map.copyOf(prices));
    }
    return new PriceTable(Map.copyOf(table));
  }

  /** The estimated cost in micro-dollars (dollars per million tokens times tokens). */
  long costMicros(String provider, String modelId, long promptTokens, long completionTokens) {
    Map<String, Price> models = byProvider.get(provider);
    if (models == null) {
      return 0;
    }
    Price price = modelId == null ? null : models.get(modelId);
    if (price == null) {
      price = models.get("*");
    }
    return price == null ? 0
        : Math.round(promptTokens * price.inputPerMillion() + completionTokens * price.outputPerMillion());
  }
}
