package io.turnout.dataplane.chat;

import io.turnout.dataplane.acceptance.Acceptance;
import io.turnout.dataplane.drain.InFlightAttempts;
import io.turnout.dataplane.observability.RequestObserver;
import io.turnout.dataplane.policy.DataPolicyGate;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.dataplane.provider.ChunkSink;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamSummary;
import io.turnout.dataplane.resilience.ProviderBreakers;
import io.turnout.dataplane.routing.CanarySelector;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.turnout.routes.FallbackClearance;
import io.turnout.dataplane.routing.RetryBudget;
import io.turnout.dataplane.routing.RoutePlan;
import io.turnout.dataplane.routing.RouteRejection;
import io.turnout.dataplane.routing.RouteRequest;
import io.turnout.routes.RouteMode;
import io.turnout.dataplane.routing.RouteResolver;
import io.turnout.routes.RouteRole;
import io.turnout.routes.RouteSnapshot;
import io.turnout.routes.RouteView;
import io.turnout.dataplane.tenancy.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import io.turnout.dataplane.observability.RequestTrace;
import io.turnout.dataplane.routing.FallbackSkip;

/**
 * The data plane's entry: a checked request in, routed attempts out, an answer or an
 * {@link ApiException} back. Shared by the HTTP front door and the event-bus API of one verticle
 * instance; holds no per-request state (that lives in {@link RequestTrace} and
 * {@link AttemptChain}).
 */
public final class ChatService {

  /**
   * What attempts need from the node: this event loop's providers, the node-wide guards and this
   * loop's registry of attempts in flight (drain).
   */
  record Upstreams(Map<String, ChatProvider> providers, ProviderBreakers breakers, RetryBudget retryBudget,
      RequestObserver observer, InFlightAttempts.Loop inFlight, FallbackClearance autoFallback, Acceptance acceptance,
      LongSupplier nanoClock, RandomGenerator random) {}

  /** Retry jitter: any thread's own generator (no secrecy needed, no contention wanted). */
  private static final RandomGenerator JITTER = () -> ThreadLocalRandom.current().nextLong();

  private final Vertx vertx;
  private final String environment;
  private final RouteView routes;
  private final RouteResolver resolver = RouteResolver.standard();
  private final Upstreams upstreams;
  private final Clock clock;
  private final DataPolicyGate dataPolicy;

  public ChatService(Vertx vertx, String environment, RouteView routes, Map<String, ChatProvider> providers,
      ProviderBreakers breakers, RetryBudget retryBudget, RequestObserver observer, Clock clock) {
    this(vertx, environment, routes, providers, breakers, retryBudget, observer, clock, InFlightAttempts.NONE,
        FallbackClearance.UNRESTRICTED, Acceptance.NONE, DataPolicyGate.OFF);
  }

  /**
   * @param inFlight this event loop's registry of attempts in flight, whose attempts are cancelled
   *     when their scope moves ({@link InFlightAttempts#NONE}: they finish)
   * @param autoFallback whether a scope may fail over to its fallback route by itself
   * @param acceptance the output acceptance checks per alias
   * @param dataPolicy checks every plan, and every re-plan, against the caller's cohort before any attempt
   */
  public ChatService(Vertx vertx, String environment, RouteView routes, Map<String, ChatProvider> providers,
      ProviderBreakers breakers, RetryBudget retryBudget, RequestObserver observer, Clock clock,
      InFlightAttempts.Loop inFlight, FallbackClearance autoFallback, Acceptance acceptance,
      DataPolicyGate dataPolicy) {
    this.vertx = vertx;
    this.environment = environment;
    this.routes = routes;
    this.upstreams = new Upstreams(Map.copyOf(providers), breakers, retryBudget, observer, inFlight, autoFallback,
        acceptance, System::nanoTime, JITTER);
    this.clock = clock;
    this.dataPolicy = dataPolicy;
  }

  /** The app model aliases the current route map serves. */
  public Set<String> aliases() {
    return routes.current().map().aliases().keySet();
  }

  /**
   * The aliases {@code caller} can use now: those whose active version for the caller's scope is
   * not {@code disabled} ({@code GET /v1/models} does not offer a model that would answer 503).
   */
  public Set<String> servedAliases(Caller caller) {
    RouteSnapshot snapshot = routes.current();
    java.util.Set<String> served = new java.util.TreeSet<>();
    for (String alias : snapshot.map().aliases().keySet()) {
      RoutePlan plan = resolver.resolve(snapshot.map(), snapshot.pointers(), new RouteRequest(environment,
          caller.tenant(), caller.cohort(), alias, java.util.EnumSet.noneOf(io.turnout.routes.Feature.class),
          caller.tenant()), clock.instant());
      if (!plan.rejected() || plan.rejection().kind() != io.turnout.dataplane.routing.RouteRejection.Kind.DISABLED) {
        served.add(alias);
      }
    }
    return served;
  }

  /** One non-streaming request. */
  public Future<Completion> complete(ChatRequest request, Caller caller, RequestTrace trace, Future<Void> cancelled) {
    Routed routed = plan(request, caller, trace);
    return new AttemptChain<Completion>(vertx, routed.plan(), routed.basis(), upstreams, request, trace, cancelled,
        null).run()
        .transform(ar -> {
          if (ar.succeeded()) {
            Completion c = ar.result();
            trace.answered(c.providerModel(), c.providerRequestId(), c.usage());
            return Future.succeededFuture(c);
          }
          return Future.failedFuture(toApi(ar.cause(), trace));
        });
  }

  /** One streaming request; chunks go to {@code sink} as they arrive. */
  public Future<StreamSummary> stream(ChatRequest request, Caller caller, RequestTrace trace, Future<Void> cancelled,
      ChunkSink sink) {
    Routed routed = plan(request, caller, trace);
    return new AttemptChain<StreamSummary>(vertx, routed.plan(), routed.basis(), upstreams, request, trace, cancelled,
        sink).run()
        .transform(ar -> {
          if (ar.succeeded()) {
            StreamSummary s = ar.result();
            trace.answered(s.providerModel(), s.providerRequestId(), s.usage());
            return Future.succeededFuture(s);
          }
          return Future.failedFuture(toApi(ar.cause(), trace));
        });
  }

  /** A plan, and the state it was made on (to tell that its scope has been moved to another version since). */
  private record Routed(AttemptPolicy.Plan plan, PlanBasis basis) {}

  private Routed plan(ChatRequest request, Caller caller, RequestTrace trace) {
    upstreams.retryBudget().onRequest();
    RouteSnapshot snapshot = routes.current();
    String stableKey = CanarySelector.stableKey(caller.tenant(), request.body().getValue("user") instanceof String u
        ? u : null, trace.stableKey());
    RouteRequest routeRequest = new RouteRequest(environment, caller.tenant(), caller.cohort(), request.alias(),
        request.features(), stableKey);
    Function<RoutePlan, AttemptPolicy.Plan> screen = resolved -> {
      DataPolicyGate.Outcome outcome = dataPolicy.apply(resolved, caller.cohort(), clock.instant());
      if (outcome.note() != null) {
        trace.dataPolicy(outcome.note());
        RoutePlan kept = outcome.plan();
        if (!kept.rejected() && kept.attempts().get(0).role() == RouteRole.FALLBACK && !kept.canary()) {
          // The primary may not serve this cohort: say so rather than blame a feature.
          trace.fellBack("data_policy");
        }
      }
      RoutePlan kept = outcome.plan();
      if (!kept.rejected() && hasFallback(kept) && routes.current().pointers().control(kept.scope()).stopped()) {
        return new AttemptPolicy.Plan(withoutFallback(kept), FallbackSkip.STOPPED);
      }
      return new AttemptPolicy.Plan(kept, withheld(resolved, kept));
    };
    AttemptPolicy.Plan screened = screen.apply(resolver.resolve(snapshot.map(), snapshot.pointers(), routeRequest,
        clock.instant()));
    RoutePlan plan = screened.route();
    trace.routed(caller, request.alias(), plan.scope().toString(), plan.routeVersion(), plan.expiredFrom(),
        plan.canary(), plan.timeoutMs());
    if (plan.rejected()) {
      throw ApiError.fromRejection(plan.rejection()).exception();
    }
    if (plan.attempts().get(0).role() == RouteRole.FALLBACK && !plan.canary()
        && plan.route().mode() != RouteMode.FALLBACK_ONLY) {
      // The primary does not enable a feature this request uses: say why it went to the fallback.
      trace.fellBack("feature_not_enabled");
    }
    return new Routed(screened, new PlanBasis(routes, resolver, routeRequest, clock, snapshot, plan.scope(),
        screen));
  }

  /**
   * What keeps {@code kept} (the plan after the data policy) from moving to its fallback route by
   * itself, or null: the data policy dropped it, or the version is not cleared for automatic fallback.
   */
  private FallbackSkip withheld(RoutePlan resolved, RoutePlan kept) {
    if (kept.rejected()) {
      return null;
    }
    if (hasFallback(resolved) && !hasFallback(kept)) {
      return FallbackSkip.DATA_POLICY;
    }
    if (!hasFallback(kept)) {
      return null;
    }
    return upstreams.autoFallback().allows(kept.scope(), kept.routeVersion()) ? null : FallbackSkip.MANUAL_ONLY;
  }

  /**
   * A gate's {@code stop} holds the scope: its fallback provider takes none of its requests, neither
   * by failover nor as the only route a request's features allow (that request is refused).
   */
  private static RoutePlan withoutFallback(RoutePlan plan) {
    List<PlannedAttempt> kept = plan.attempts().stream().filter(a -> a.role() != RouteRole.FALLBACK).toList();
    return !kept.isEmpty() ? plan.withAttempts(kept) : plan.refused(RouteRejection.of(RouteRejection.Kind.DISABLED,
        "Route version " + plan.routeVersion() + " is stopped for scope " + plan.scope() + " by a gate: its fallback"
            + " route takes no requests, and no other route of it serves this request.", null));
  }

  private static boolean hasFallback(RoutePlan plan) {
    return plan.attempts().stream().anyMatch(a -> a.role() == RouteRole.FALLBACK);
  }

  private static ApiException toApi(Throwable cause, RequestTrace trace) {
    if (cause instanceof ApiException api) {
      return api;
    }
    ProviderFailure failure = cause instanceof ProviderFailure f ? f
        : ProviderFailure.of(io.turnout.dataplane.provider.ErrorClass.NETWORK, "upstream attempt failed");
    return ApiError.fromFailure(failure, trace.provider()).exception();
  }
}
