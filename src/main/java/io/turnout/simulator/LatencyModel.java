package io.turnout.simulator;

import io.turnout.config.ConfigNode;
import io.vertx.core.json.JsonObject;
import java.util.Random;

/**
 * The delay before the first byte of a simulated answer. Random models draw from the provider's
 * seeded {@link Random}, so a seeded script gives the same delays in the same order every run.
 */
public sealed interface LatencyModel {

  /** The largest delay any model may produce or be configured with: one hour. */
  long MAX_MS = 3_600_000L;

  /** No delay. */
  LatencyModel NONE = new Fixed(0);

  /** The delay for the next answer, in milliseconds, never negative. */
  long sampleMillis(Random random);

  /** The script JSON of this model: {@code {"distribution": ..., ...}}. */
  JsonObject toJson();

  /** Always {@code ms}. */
  static LatencyModel fixed(long ms) {
    return new Fixed(ms);
  }

  /** Uniform over {@code [minMs, maxMs]}. */
  static LatencyModel uniform(long minMs, long maxMs) {
    return new Uniform(minMs, maxMs);
  }

  /** Normal with the given mean and standard deviation, clamped to {@code [0, MAX_MS]}. */
  static LatencyModel normal(double meanMs, double stddevMs) {
    return new Normal(meanMs, stddevMs);
  }

  /** Reads a {@code latency} object: {@code distribution} fixed|uniform|normal and its parameters. */
  static LatencyModel fromConfig(ConfigNode node) {
    String distribution = node.enumValue("distribution", null, LatencyModel::checkDistribution,
        "fixed, uniform, normal");
    LatencyModel model = switch (distribution) {
      case "fixed" -> fixed(node.longValue("ms", 0, 0, MAX_MS));
      case "uniform" -> {
        if (!node.has("min_ms") || !node.has("max_ms")) {
          throw node.error(node.has("min_ms") ? "max_ms" : "min_ms", "is required for a uniform distribution");
        }
        long min = node.longValue("min_ms", 0, 0, MAX_MS);
        long max = node.longValue("max_ms", 0, 0, MAX_MS);
        if (max < min) {
          throw node.error("max_ms", "must be at least min_ms (" + min + "), got " + max);
        }
        yield uniform(min, max);
      }
      default -> {
        if (!node.has("mean_ms") || !node.has("stddev_ms")) {
          throw node.error(node.has("mean_ms") ? "stddev_ms" : "mean_ms", "is required for a normal distribution");
        }
        yield normal(node.doubleValue("mean_ms", 0, 0, MAX_MS), node.doubleValue("stddev_ms", 0, 0, MAX_MS));
      }
    };
    node.finish();
    return model;
  }

  private static String checkDistribution(String name) {
    if (name.equals("fixed") || name.equals("uniform") || name.equals("normal")) {
      return name;
    }
    throw new IllegalArgumentException(name);
  }

  /** A constant delay. */
  record Fixed(long ms) implements LatencyModel {
    public Fixed {
      if (ms < 0 || ms > MAX_MS) {
        throw new IllegalArgumentException("ms must be between 0 and " + MAX_MS);
      }
    }

    @Override
    public long sampleMillis(Random random) {
      return ms;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("distribution", "fixed").put("ms", ms);
    }
  }

  /** A delay drawn uniformly between two bounds, both included. */
  record Uniform(long minMs, long maxMs) implements LatencyModel {
    public Uniform {
      if (minMs < 0 || maxMs > MAX_MS || maxMs < minMs) {
        throw new IllegalArgumentException("need 0 <= min_ms <= max_ms <= " + MAX_MS);
      }
    }

    @Override
    public long sampleMillis(Random random) {
      return minMs + (long) Math.floor(random.nextDouble() * (maxMs - minMs + 1));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("distribution", "uniform").put("min_ms", minMs).put("max_ms", maxMs);
    }
  }

  /** A normally distributed delay, clamped so that it is never negative. */
  record Normal(double meanMs, double stddevMs) implements LatencyModel {
    public Normal {
      if (!(meanMs >= 0 && meanMs <= MAX_MS && stddevMs >= 0 && stddevMs <= MAX_MS)) {
        throw new IllegalArgumentException("need 0 <= mean_ms, stddev_ms <= " + MAX_MS);
      }
    }

    @Override
    public long sampleMillis(Random random) {
      double value = meanMs + stddevMs * random.nextGaussian();
      return Math.max(0, Math.min(MAX_MS, Math.round(value)));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("distribution", "normal").put("mean_ms", meanMs).put("stddev_ms", stddevMs);
    }
  }
}
