package io.turnout.controlplane.gates;

import io.turnout.dataplane.provider.ErrorClass;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import io.turnout.dataplane.signals.SignalCounts;

/**
 * What a gate can watch, computed from the summed {@link SignalCounts} of its window. Rates are
 * shares of attempts (0..1); counts are plain numbers; latencies are milliseconds; usage signals
 * count answers as their samples.
 */
public enum GateSignal {
  ATTEMPTS("attempts", c -> c.attempts(), SignalCounts::attempts),
  UPSTREAM_5XX_RATE("upstream_5xx_rate", c -> rate(c.failures(ErrorClass.UPSTREAM_5XX), c.attempts()),
      SignalCounts::attempts),
  TIMEOUT_RATE("timeout_rate", c -> rate(c.failures(ErrorClass.TIMEOUT), c.attempts()), SignalCounts::attempts),
  NETWORK_RATE("network_rate", c -> rate(c.failures(ErrorClass.NETWORK), c.attempts()), SignalCounts::attempts),
  RATE_LIMITED_RATE("rate_limited_rate", c -> rate(c.failures(ErrorClass.RATE_LIMITED), c.attempts()),
      SignalCounts::attempts),
  ERROR_RATE("error_rate", c -> rate(c.failures(), c.attempts()), SignalCounts::attempts),
  MALFORMED_RESPONSES("malformed_responses", c -> c.failures(ErrorClass.MALFORMED_RESPONSE), SignalCounts::attempts),
  MALFORMED_RATE("malformed_rate", c -> rate(c.failures(ErrorClass.MALFORMED_RESPONSE), c.attempts()),
      SignalCounts::attempts),
  AUTH_FAILURES("auth_failures", c -> c.failures(ErrorClass.AUTH), SignalCounts::attempts),
  LATENCY_P50_MS("latency_p50_ms", c -> c.latencyQuantileMs(0.50), SignalCounts::attempts),
  LATENCY_P95_MS("latency_p95_ms", c -> c.latencyQuantileMs(0.95), SignalCounts::attempts),
  LATENCY_P99_MS("latency_p99_ms", c -> c.latencyQuantileMs(0.99), SignalCounts::attempts),
  RETRIES("retries", c -> c.retries(), SignalCounts::attempts),
  RETRY_RATE("retry_rate", c -> rate(c.retries(), c.attempts()), SignalCounts::attempts),
  FALLBACKS("fallbacks", c -> c.fallbacks(), SignalCounts::attempts),
  FALLBACK_RATE("fallback_rate", c -> rate(c.fallbacks(), c.attempts()), SignalCounts::attempts),
  TOKENS("tokens", c -> c.tokens(), SignalCounts::answers),
  COST_USD("cost_usd", SignalCounts::costUsd, SignalCounts::answers),
  ACCEPTANCE_FAILURE_RATE("acceptance_failure_rate", c -> rate(c.acceptanceFailures(), c.acceptanceChecked()),
      SignalCounts::acceptanceChecked),
  ACCEPTANCE_FAILURES("acceptance_failures", c -> c.acceptanceFailures(), SignalCounts::acceptanceChecked),
  USAGE_UNREPORTED_RATE("usage_unreported_rate", c -> rate(c.answers() - c.providerUsage(), c.answers()),
      SignalCounts::answers);

  private final String wireName;
  private final ToDoubleFunction<SignalCounts> value;
  private final ToLongFunction<SignalCounts> samples;

  GateSignal(String wireName, ToDoubleFunction<SignalCounts> value, ToLongFunction<SignalCounts> samples) {
    this.wireName = wireName;
    this.value = value;
    this.samples = samples;
  }

  public String wireName() {
    return wireName;
  }

  /** The signal's value over {@code counts}. */
  public double value(SignalCounts counts) {
    return value.applyAsDouble(counts);
  }

  /** How many samples {@code counts} holds for this signal: attempts, or answers for usage signals. */
  public long samples(SignalCounts counts) {
    return samples.applyAsLong(counts);
  }

  /** Whether this signal says something about a provider's health (as opposed to volume or usage). */
  public boolean isHealth() {
    return switch (this) {
      case UPSTREAM_5XX_RATE, TIMEOUT_RATE, NETWORK_RATE, RATE_LIMITED_RATE, ERROR_RATE, MALFORMED_RESPONSES,
          MALFORMED_RATE, AUTH_FAILURES -> true;
      default -> false;
    };
  }

  /** Parses a wire name; null when unknown. */
  public static GateSignal fromWireName(String name) {
    for (GateSignal s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** Every wire name, for error messages. */
  public static String allowed() {
    StringBuilder names = new StringBuilder();
    for (GateSignal s : values()) {
      names.append(names.length() == 0 ? "" : ", ").append(s.wireName);
    }
    return names.toString();
  }

  private static double rate(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
