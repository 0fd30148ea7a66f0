package io.turnout.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.UsageSource;
import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.dataplane.routing.RetryBudget;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import io.turnout.dataplane.observability.MeterBuckets;
import io.turnout.dataplane.observability.NodeMetrics;
import io.turnout.dataplane.observability.RequestLog;

/**
 * {@link NodeMetrics} on Micrometer (scraped as Prometheus). Tag values come from config (alias,
 * route version, provider) or closed sets (route, class, status), never from free client input,
 * so cardinality stays bounded: a request that was refused before routing is tagged {@code -}.
 */
public final class MicrometerNodeMetrics implements NodeMetrics {

  /** Requests answered: tags alias, route_version, route, provider, status, error_class. */
  public static final String REQUESTS = "turnout.requests";
  /** End-to-end latency, histogram (p50/p95/p99 via histogram_quantile): alias, route_version, route, provider. */
  public static final String REQUEST_DURATION = "turnout.request.duration";
  /** Time to the first streamed chunk, histogram: alias, route_version, route, provider. */
  public static final String FIRST_CHUNK = "turnout.stream.first.chunk";
  /** Upstream attempts: provider, route, route_version, outcome (ok or the failure class). */
  public static final String ATTEMPTS = "turnout.attempts";
  /** Upstream attempt latency, histogram: provider, route. */
  public static final String ATTEMPT_DURATION = "turnout.attempt.duration";
  /** Retries made: route_version. */
  public static final String RETRIES = "turnout.retries";
  /** Requests that moved to the fallback route: route_version, reason. */
  public static final String FALLBACKS = "turnout.fallbacks";
  /** Retries refused because the node's retry budget was empty. */
  public static final String RETRY_BUDGET_EXHAUSTED = "turnout.retry.budget.exhausted";
  /** Tokens used: route_version, provider, type (prompt|completion), usage_source. */
  public static final String TOKENS = "turnout.tokens";
  /** Breaker state per provider: 0 closed, 1 half-open, 2 open. */
  public static final String BREAKER_STATE = "turnout.breaker.state";
  /** Route map edits refused. */
  public static final String CONFIG_REJECTIONS = "turnout.config.rejections";
  /** Members of the node's cluster that acknowledge route revisions (1 for a node alone). */
  public static final String CLUSTER_MEMBERS = "turnout.cluster.members";

  /** Each gate's latest verdict per scope: 0 pass, 1 breach, 2 inconclusive. Tags gate, scope. */
  public static final String GATE_STATE = "turnout.gate.state";
  /** The value behind each gate's latest verdict per scope. Tags gate, scope. */
  public static final String GATE_VALUE = "turnout.gate.value";
  /** Changes gates made (counted by the one member that made each). Tags gate, decision. */
  public static final String GATE_ACTIONS = "turnout.gate.actions";
  /** Request body sizes in bytes, histogram: alias, route_version. */
  public static final String REQUEST_SIZE = "turnout.request.size";
  /** Response body sizes in bytes, histogram: alias, route_version. */
  public static final String RESPONSE_SIZE = "turnout.response.size";
  /** What the node itself adds (end-to-end minus upstream attempt time), histogram: alias, route_version. */
  public static final String ADDED_LATENCY = "turnout.node.added.latency";
  /** The cohort tag of a caller whose cohort is not a configured one. */
  public static final String OTHER_COHORT = "other";

  private static final List<String> GATE_DECISIONS = java.util.Arrays.stream(
      io.turnout.controlplane.gates.GateDecision.Kind.values()).map(io.turnout.controlplane.gates.GateDecision.Kind::wireName).toList();
  private static final String NONE = "-";

  private final MeterRegistry registry;
  private final java.util.concurrent.atomic.AtomicInteger gateSettingsDisagreeing =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.Set<String> cohorts;
  private final Counter configRejections;
  private final java.util.concurrent.atomic.AtomicInteger clusterMembers =
      new java.util.concurrent.atomic.AtomicInteger(1);
  private final ConcurrentMap<RequestKey, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Counter> fallbacks = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Timer> firstChunks = new ConcurrentHashMap<>();
  private final ConcurrentMap<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Timer> attemptDurations = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Counter[]> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, java.util.concurrent.atomic.AtomicLongArray> gates =
      new ConcurrentHashMap<>();

  public MicrometerNodeMetrics(MeterRegistry registry, Iterable<String> providers, ProviderBreakers breakers,
      RetryBudget retryBudget) {
    this(registry, providers, breakers, retryBudget, java.util.Set.of());
  }

  /**
   * @param cohorts the configured cohorts: the only values the {@code cohort} tag takes besides
   *     {@code -} (no caller) and {@link #OTHER_COHORT}, so a client cannot mint series
   */
  public MicrometerNodeMetrics(MeterRegistry registry, Iterable<String> providers, ProviderBreakers breakers,
      RetryBudget retryBudget, java.util.Set<String> cohorts) {
    this.registry = registry;
    Gauge.builder("turnout_gate_settings_disagreeing_members", gateSettingsDisagreeing,
        java.util.concurrent.atomic.AtomicInteger::get)
        .description("Other members whose gate settings (bucket_ms, rules) differ from this member's").register(registry);
    this.cohorts = java.util.Set.copyOf(cohorts);
    this.configRejections = Counter.builder(CONFIG_REJECTIONS).description("Route map edits refused")
        .register(registry);
    Gauge.builder(CLUSTER_MEMBERS, clusterMembers, java.util.concurrent.atomic.AtomicInteger::get)
        .description("Members that acknowledge route revisions").register(registry);
    FunctionCounter.builder(RETRY_BUDGET_EXHAUSTED, retryBudget, RetryBudget::exhaustedCount)
        .description("Retries refused by the node-wide retry budget").register(registry);
    for (String provider : providers) {
      Gauge.builder(BREAKER_STATE, breakers, b -> switch (b.state(provider)) {
            case "open" -> 2;
            case "half_open" -> 1;
            default -> 0;
          })
          .tag("provider", provider).description("0 closed, 1 half-open, 2 open").register(registry);
    }
  }

  @Override
  public void requestCompleted(RequestTrace trace, int httpStatus) {
    requestCompleted(trace, httpStatus, -1, -1);
  }

  @Override
  public void requestCompleted(RequestTrace trace, int httpStatus, long bytesIn, long bytesOut) {
    boolean routed = trace.routeVersion() != null;
    String logged = RequestLog.errorClass(trace, httpStatus);
    String errorClass = logged == null ? "none" : logged;
    RequestKey key = new RequestKey(routed ? trace.alias() : NONE, routed ? trace.routeVersion() : NONE,
        trace.role() == null ? NONE : trace.role(), trace.provider() == null ? NONE : trace.provider(), httpStatus,
        errorClass, cohort(trace));
    RequestMeters meters = requestMeters.computeIfAbsent(key, this::requestMeters);
    meters.requests.increment();
    long elapsed = trace.elapsedNanos();
    meters.duration.record(elapsed, TimeUnit.NANOSECONDS);
    if (trace.attempts() > 0) {
      meters.added.record(Math.max(0, elapsed - trace.upstreamNanos()), TimeUnit.NANOSECONDS);
    }
    if (bytesIn >= 0) {
      meters.bytesIn.record(bytesIn);
    }
    if (bytesOut >= 0) {
      meters.bytesOut.record(bytesOut);
    }
    if (trace.firstChunkAfterNanos() >= 0) {
      // Registered on first use: a series that never streams exposes no empty first-chunk histogram.
      firstChunks.computeIfAbsent(List.of(key.alias(), key.version(), key.route(), key.provider()),
          k -> Timer.builder(FIRST_CHUNK).tags("alias", k.get(0), "route_version", k.get(1), "route", k.get(2),
              "provider", k.get(3)).serviceLevelObjectives(MeterBuckets.LATENCY)
              .description("Time from a streamed request's arrival to its first chunk to the client")
              .register(registry))
          .record(trace.firstChunkAfterNanos(), TimeUnit.NANOSECONDS);
    }
    if (trace.retries() > 0) {
      meters.retries.increment(trace.retries());
    }
    if (trace.fallbackAttempted()) {
      fallbacks.computeIfAbsent(List.of(key.version(), trace.fallbackReason()), k -> Counter.builder(FALLBACKS)
          .tags("route_version", k.get(0), "reason", k.get(1))
          .description("Requests moved to the fallback route, by reason").register(registry)).increment();
    }
    if (trace.usage().source() != UsageSource.NONE) {
      Counter[] counters = tokens.computeIfAbsent(List.of(key.version(), key.provider(),
          trace.usage().source().wireName()), this::tokenCounters);
      counters[0].increment(trace.usage().promptTokens());
      counters[1].increment(trace.usage().completionTokens());
    }
  }

  private static final String TOKENS_HELP = "Tokens the providers reported, by type";

  /** The caller's cohort when it is a configured one: never a value a client can choose freely. */
  private String cohort(RequestTrace trace) {
    if (trace.caller() == null || trace.caller() == io.turnout.dataplane.tenancy.Caller.ANONYMOUS) {
      // No caller yet (refused before authentication), or a node without client keys.
      return NONE;
    }
    String cohort = trace.caller().cohort();
    return cohorts.contains(cohort) ? cohort : OTHER_COHORT;
  }

  private Counter[] tokenCounters(List<String> k) {
    return new Counter[] {
        Counter.builder(TOKENS).tags("route_version", k.get(0), "provider", k.get(1), "type", "prompt",
            "usage_source", k.get(2)).description(TOKENS_HELP).register(registry),
        Counter.builder(TOKENS).tags("route_version", k.get(0), "provider", k.get(1), "type", "completion",
            "usage_source", k.get(2)).description(TOKENS_HELP).register(registry)};
  }

  /** The tag values of one request series; bounded by config and closed sets. */
  private record RequestKey(String alias, String version, String route, String provider, int status,
      String errorClass, String cohort) {}

  /** The meters of one series, looked up once instead of rebuilt on every request. */
  private record RequestMeters(Counter requests, Timer duration, Counter retries, Timer added,
      io.micrometer.core.instrument.DistributionSummary bytesIn,
      io.micrometer.core.instrument.DistributionSummary bytesOut) {}

  private RequestMeters requestMeters(RequestKey k) {
    String[] route = {"alias", k.alias(), "route_version", k.version(), "route", k.route(), "provider", k.provider(),
        "cohort", k.cohort()};
    String[] version = {"alias", k.alias(), "route_version", k.version()};
    return new RequestMeters(
        Counter.builder(REQUESTS).tags(route).tags("status", Integer.toString(k.status()), "error_class",
            k.errorClass()).description("Requests answered, by route, status and failure class").register(registry),
        Timer.builder(REQUEST_DURATION).tags(route).serviceLevelObjectives(MeterBuckets.LATENCY)
            .description("End-to-end request latency, from arrival to the end of the answer").register(registry),
        Counter.builder(RETRIES).tag("route_version", k.version())
            .description("Retries made (the same provider again)").register(registry),
        Timer.builder(ADDED_LATENCY).tags(version).serviceLevelObjectives(MeterBuckets.ADDED_LATENCY)
            .description("Latency the node adds: end-to-end minus the time spent in upstream attempts")
            .register(registry),
        io.micrometer.core.instrument.DistributionSummary.builder(REQUEST_SIZE).tags(version).baseUnit("bytes")
            .serviceLevelObjectives(MeterBuckets.BYTES).description("Request body sizes").register(registry),
        io.micrometer.core.instrument.DistributionSummary.builder(RESPONSE_SIZE).tags(version).baseUnit("bytes")
            .serviceLevelObjectives(MeterBuckets.BYTES).description("Response body sizes").register(registry));
  }

  /** The tag values of one attempt series: provider, route and version from config, outcome a closed set. */
  private record AttemptKey(String provider, String role, String routeVersion, ErrorClass outcome) {}

  @Override
  public void attemptCompleted(String provider, String role, String routeVersion, ErrorClass outcome, long nanos) {
    // Looked up, not rebuilt: building and registering a meter per attempt cost more than the record.
    attempts.computeIfAbsent(new AttemptKey(provider, role, routeVersion, outcome), k -> Counter.builder(ATTEMPTS)
        .tags("provider", k.provider(), "route", k.role(), "route_version", k.routeVersion(), "outcome",
            k.outcome() == null ? "ok" : k.outcome().wireName()).description("Upstream attempts, by outcome")
        .register(registry)).increment();
    attemptDurations.computeIfAbsent(List.of(provider, role), k -> Timer.builder(ATTEMPT_DURATION)
        .tags("provider", k.get(0), "route", k.get(1)).serviceLevelObjectives(MeterBuckets.LATENCY)
        .description("Latency of single upstream attempts").register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void configRejected() {
    configRejections.increment();
  }

  @Override
  public void clusterMembers(int count) {
    clusterMembers.set(count);
  }

  @Override
  public void gateVerdict(String gate, String scope, int state, double value) {
    // Gates and scopes come from config, so the tag set stays bounded.
    // Two longs holding doubles' bits: written by the gate verticle, read by scrapes on other threads.
    java.util.concurrent.atomic.AtomicLongArray cell = gates.computeIfAbsent(List.of(gate, scope), key -> {
      java.util.concurrent.atomic.AtomicLongArray holder = new java.util.concurrent.atomic.AtomicLongArray(2);
      Gauge.builder(GATE_STATE, holder, h -> Double.longBitsToDouble(h.get(0))).tags("gate", gate, "scope", scope)
          .description("Latest gate verdict: 0 pass, 1 breach, 2 inconclusive").register(registry);
      Gauge.builder(GATE_VALUE, holder, h -> Double.longBitsToDouble(h.get(1))).tags("gate", gate, "scope", scope)
          .description("The value behind the latest gate verdict").register(registry);
      return holder;
    });
    cell.set(0, Double.doubleToLongBits(state));
    cell.set(1, Double.doubleToLongBits(value));
  }

  @Override
  public void gatesConfigured(java.util.Collection<String> gates) {
    for (String gate : gates) {
      for (String decision : GATE_DECISIONS) {
        gateActionCounter(gate, decision);
      }
    }
  }

  @Override
  public void gateSettingsDisagreeing(int members) {
    gateSettingsDisagreeing.set(members);
  }

  @Override
  public void gateAction(String gate, String decision) {
    gateActionCounter(gate, decision).increment();
  }

  private Counter gateActionCounter(String gate, String decision) {
    return Counter.builder(GATE_ACTIONS).tags("gate", gate, "decision", decision)
        .description("Changes made by rollback gates").register(registry);
  }
}
