package io.turnout.dataplane.resilience;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One circuit breaker per provider for the whole node (vertx-circuit-breaker), shared by every
 * event loop. Only failures that say something about the provider's health count: a rejected
 * request, a refused content or a client that left does not open a breaker. State changes are
 * published on {@link #ADDRESS}.
 */
public final class ProviderBreakers {

  /** Where breaker state changes are published: {@code {provider, state, node}}. */
  public static final String ADDRESS = "turnout.breaker.changed";

  private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();

  public ProviderBreakers(Vertx vertx, Iterable<String> providers, BreakerOptions options, String nodeId) {
    CircuitBreakerOptions breakerOptions = new CircuitBreakerOptions()
        .setMaxFailures(options.maxFailures())
        .setResetTimeout(options.resetTimeoutMs())
        .setFailuresRollingWindow(options.failuresWindowMs())
        .setTimeout(-1) // attempts carry their own deadlines and cancel the upstream request themselves
        .setNotificationAddress(null);
    for (String provider : providers) {
      CircuitBreaker breaker = CircuitBreaker.create("provider-" + provider, vertx, breakerOptions);
      breaker.openHandler(v -> publish(vertx, provider, "open", nodeId))
          .halfOpenHandler(v -> publish(vertx, provider, "half_open", nodeId))
          .closeHandler(v -> publish(vertx, provider, "closed", nodeId));
      breakers.put(provider, breaker);
    }
  }

  /** Whether requests to the provider are being turned away right now. */
  public boolean isOpen(String provider) {
    CircuitBreaker breaker = breakers.get(provider);
    return breaker != null && breaker.state() == CircuitBreakerState.OPEN;
  }

  /** The provider's breaker state: {@code closed}, {@code open} or {@code half_open}. */
  public String state(String provider) {
    CircuitBreaker breaker = breakers.get(provider);
    return breaker == null ? "closed" : breaker.state().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Runs one attempt through the provider's breaker.
   *
   * @return the attempt's own outcome; when the breaker refuses to let it run, a failure of class
   *     {@code upstream_5xx} with code {@code circuit_open} and the attempt never starts
   */
  public <T> Future<T> call(String provider, Supplier<Future<T>> attempt) {
    CircuitBreaker breaker = breakers.get(provider);
    if (breaker == null) {
      return attempt.get();
    }
    Promise<T> outcome = Promise.promise();
    boolean[] started = new boolean[1];
    breaker.<Void>execute(permit -> {
      started[0] = true;
      attempt.get().onComplete(ar -> {
        outcome.handle(ar);
        if (ar.failed() && ar.cause() instanceof ProviderFailure f && f.errorClass().countsForBreaker()) {
          permit.tryFail(f);
        } else {
          permit.tryComplete();
        }
      });
    }).onFailure(refused -> {
      if (!started[0]) {
        outcome.tryFail(circuitOpen(provider));
      }
    });
    return outcome.future();
  }

  /** Closes every breaker's timers. */
  public void close() {
    breakers.values().forEach(CircuitBreaker::close);
  }

  /** The failure a request sees when the breaker turned its attempt away. */
  public static ProviderFailure circuitOpen(String provider) {
    return ProviderFailure.ours(ErrorClass.UPSTREAM_5XX, "circuit breaker for provider " + provider + " is open",
        503, FailureCode.CIRCUIT_OPEN);
  }

  private static void publish(Vertx vertx, String provider, String state, String nodeId) {
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("provider", provider).put("state", state)
        .put("node", nodeId));
  }
}
