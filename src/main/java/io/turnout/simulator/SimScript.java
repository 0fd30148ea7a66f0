package io.turnout.simulator;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How one simulated provider behaves: latency, stream pacing, usage telemetry and faults. The same
 * JSON shape is read from the node's config ({@code simulator.providers.N.script}) and from
 * {@code PUT /_sim/providers/N/script}.
 *
 * @param latency the delay before the first byte of every answer
 * @param chunkIntervalMs the delay between two stream events
 * @param usage false to omit usage everywhere, like a provider without usage telemetry
 * @param seed the seed of the provider's random draws (shares, latency), or null for an unseeded run
 * @param faults the faults, in selection order
 */
public record SimScript(LatencyModel latency, long chunkIntervalMs, boolean usage, Long seed, List<Fault> faults) {

  /** A well-behaved provider: no delay, usage reported, no faults. */
  public static final SimScript DEFAULT = new SimScript(LatencyModel.NONE, 0, true, null, List.of());

  /** The file name that errors of a script sent to the control endpoint carry. */
  public static final String CONTROL_SOURCE = "script";

  public SimScript {
    faults = List.copyOf(faults);
  }

  /**
   * Parses a script sent to the control endpoint.
   *
   * @throws ConfigException naming the field path inside the script, e.g. {@code faults[1].share}
   */
  public static SimScript fromJson(JsonObject json) {
    return fromConfig(new ConfigNode(CONTROL_SOURCE, "", json));
  }

  /** Parses and validates a script at {@code node}; unknown fields are rejected. */
  public static SimScript fromConfig(ConfigNode node) {
    boolean hasFixed = node.raw("latency_ms") != null;
    boolean hasModel = node.raw("latency") != null;
    if (hasFixed && hasModel) {
      throw node.error("latency", "give either latency_ms or latency, not both");
    }
    LatencyModel latency = hasModel ? LatencyModel.fromConfig(node.child("latency"))
        : LatencyModel.fixed(node.longValue("latency_ms", 0, 0, LatencyModel.MAX_MS));
    long chunkInterval = node.longValue("chunk_interval_ms", 0, 0, LatencyModel.MAX_MS);
    boolean usage = node.bool("usage", true);
    Long seed = node.raw("seed") == null ? null : node.longValue("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    List<Fault> faults = node.list("faults").stream().map(Fault::fromConfig).toList();
    double shares = faults.stream().mapToDouble(Fault::share).sum();
    if (shares > 1 + 1e-9) {
      throw node.error("faults", "shares sum to " + shares + ", must be at most 1");
    }
    node.finish();
    return new SimScript(latency, chunkInterval, usage, seed, faults);
  }

  /** The script JSON; {@link #fromJson} of it gives an equal script. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (latency instanceof LatencyModel.Fixed fixed) {
      json.put("latency_ms", fixed.ms());
    } else {
      json.put("latency", latency.toJson());
    }
    json.put("chunk_interval_ms", chunkIntervalMs).put("usage", usage);
    if (seed != null) {
      json.put("seed", seed);
    }
    JsonArray list = new JsonArray();
    faults.forEach(f -> list.add(f.toJson()));
    return json.put("faults", list);
  }
}
