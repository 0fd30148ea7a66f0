package io.turnout.chat;

import io.turnout.acceptance.Acceptance;
import io.turnout.drain.InFlightAttempt;
import io.turnout.drain.InFlightAttempts;
import io.turnout.gates.SignalKey;
import io.turnout.provider.ChatCall;
import io.turnout.provider.ChatProvider;
import io.turnout.provider.ChunkSink;
import io.turnout.provider.Completion;
import io.turnout.provider.ErrorClass;
import io.turnout.provider.ProviderFailure;
import io.turnout.provider.StreamSummary;
import io.turnout.routing.PlannedAttempt;
import io.turnout.routing.RetryPolicy;
import io.turnout.routing.RoutePlan;
import io.turnout.routing.RouteRole;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RoutePlan}'s attempts for one request under one deadline, keeping retry and
 * fallback apart (runbook section 4): a retry sends the same provider another attempt, only for
 * a retryable class, within the route's retry policy and the node's retry budget; a fallback
 * moves to the next planned route, only for a class the route allows, and never once a streamed
 * byte has reached the client. No attempt starts after the deadline, and none runs past it.
 *
 * <p>Drain: once the request's scope has been moved to another version, no retry or fallback
 * starts on the version it left; the request is planned again on the version in force. In
 * {@code cancel} drain mode the attempt in flight is registered by scope and cancelled at once
 * when the scope moves ({@link #drain}); the request then continues the same way, unless a chunk
 * already reached the client: then the stream ends with a {@code route_drained} error.
 *
 * @param <T> {@link Completion} or {@link StreamSummary}
 */
final class AttemptChain<T> implements ChunkSink, InFlightAttempt {

  /** The code of a failure caused by draining the attempt's route version ({@code cancel} mode). */
  static final String ROUTE_DRAINED = "route_drained";

  private static final Logger LOG = LoggerFactory.getLogger(AttemptChain.class);

  private final Vertx vertx;
  private RoutePlan plan;
  private final PlanBasis basis;
  private ProviderFailure lastFailure;
  private final ChatService.Upstreams upstreams;
  private final ChatRequest request;
  private final RequestTrace trace;
  private final Future<Void> cancelled;
  private final ChunkSink client;
  private final long deadlineNanos;
  private final Promise<T> result = Promise.promise();
  private int index;
  private int retries;
  private boolean chunkSent;
  /** Follows the attempt's answer for the alias's output acceptance checks, or null without any. */
  private Acceptance.Tracker acceptance;
  /** Ends the attempt in flight when the caller leaves or its route version is drained (cancel mode only). */
  private Promise<Void> attemptStop;
  /** Set when the attempt in flight was drained: the version its scope moved to ("" for none). */
  private String drainedTo;

  /**
   * @param basis the state {@code plan} was made on, which tells when the scope has been moved to
   *     another version since (a rollback) and makes the plan to follow then
   */
  AttemptChain(Vertx vertx, RoutePlan plan, PlanBasis basis, ChatService.Upstreams upstreams,
      ChatRequest request, RequestTrace trace, Future<Void> cancelled, ChunkSink client) {
    this.vertx = vertx;
    this.plan = plan;
    this.basis = basis;
    this.upstreams = upstreams;
    this.request = request;
    this.trace = trace;
    this.cancelled = cancelled;
    this.client = client;
    this.deadlineNanos = System.nanoTime() + plan.timeoutMs() * 1_000_000L;
  }

  Future<T> run() {
    next(false);
    return result.future();
  }

  private void next(boolean retry) {
    if (cancelled.isComplete()) {
      fail(ProviderFailure.of(ErrorClass.CLIENT_CANCELLED, "caller cancelled the request"));
      return;
    }
    long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (remainingMs <= 0) {
      fail(ProviderFailure.of(ErrorClass.TIMEOUT, "route deadline of " + plan.timeoutMs() + " ms passed"));
      return;
    }
    if (lastFailure != null && !rerouteIfMoved()) {
      return;
    }
    PlannedAttempt planned = plan.attempts().get(index);
    ChatProvider provider = upstreams.providers().get(planned.provider());
    if (!retry && upstreams.breakers().isOpen(planned.provider()) && hasNextRoute() && mayMoveOn()) {
      // The breaker sends traffic straight to the next route while open: no attempt is wasted.
      trace.fellBack("breaker_open");
      index++;
      next(false);
      return;
    }
    trace.attempt(planned.role().wireName(), planned.provider(), planned.providerModelId(), retry);
    if (client != null) {
      client.onAttempt(planned.provider(), trace.attempts());
    }
    ChatCall call = new ChatCall(request.body(), planned.providerModelId(), trace.requestId(), request.stream(),
        request.includeUsage(), remainingMs, register());
    long started = System.nanoTime();
    SignalKey signals = signalKey(planned);
    boolean fallback = index > 0 && !retry;
    upstreams.observer().attemptStarted(signals, trace, retry, fallback);
    acceptance = upstreams.acceptance().track(request.alias(), request.body());
    upstreams.breakers().<T>call(planned.provider(), () -> start(provider, call)).onComplete(ar -> {
      ProviderFailure failure = ar.succeeded() ? null : ar.cause() instanceof ProviderFailure f ? f
          : ProviderFailure.of(ErrorClass.NETWORK, "upstream attempt failed");
      failure = unregister(failure);
      upstreams.observer().attempt(signals, trace, failure == null ? null : failure.errorClass(),
          System.nanoTime() - started, retry, fallback);
      if (failure == null) {
        T answer = ar.result();
        if (answer instanceof Completion c) {
          upstreams.observer().answered(signals, planned.providerModelId(), c.usage());
        } else if (answer instanceof StreamSummary s) {
          upstreams.observer().answered(signals, planned.providerModelId(), s.usage());
        }
        accept(answer, signals);
      } else {
        onFailure(failure);
      }
    });
  }

  /**
   * Answers the client, judging the answer by the alias's acceptance checks: after answering when
   * a failed check is only counted (off the answer's critical path), before when it fails the
   * attempt, which may then move on to the next planned route.
   */
  private void accept(T answer, SignalKey signals) {
    Acceptance.Tracker tracker = acceptance;
    if (tracker == null) {
      result.tryComplete(answer);
      return;
    }
    if (!tracker.treatAsFailure() || chunkSent) {
      result.tryComplete(answer);
      vertx.runOnContext(v -> upstreams.observer().acceptance(signals, trace.requestId(), judge(tracker, answer)
          .failures()));
      return;
    }
    Acceptance.Verdict verdict = judge(tracker, answer);
    upstreams.observer().acceptance(signals, trace.requestId(), verdict.failures());
    if (verdict.passed()) {
      result.tryComplete(answer);
    } else if (hasNextRoute() && mayMoveOn()) {
      trace.fellBack("acceptance_failed");
      index++;
      retries = 0;
      next(false);
    } else {
      fail(new ProviderFailure(ErrorClass.MALFORMED_RESPONSE, "the answer failed the output acceptance checks: "
          + String.join("; ", verdict.failures()), 0, -1, null, null, "acceptance_failed"));
    }
  }

  private static Acceptance.Verdict judge(Acceptance.Tracker tracker, Object answer) {
    return answer instanceof Completion c ? tracker.completed(c.body()) : tracker.streamEnded();
  }

  /** What this attempt's outcome is counted under in the gates' windows. */
  private SignalKey signalKey(PlannedAttempt planned) {
    String cohort = trace.caller() == null || trace.caller().cohort() == null ? SignalKey.NO_COHORT
        : trace.caller().cohort();
    return new SignalKey(plan.scope(), plan.routeVersion(), plan.epoch(), planned.provider(),
        planned.role().wireName(), cohort);
  }

  /**
   * In cancel drain mode, registers the attempt about to start by its scope and returns what ends
   * it: the caller leaving or a drain. Otherwise the caller's signal alone, and nothing is allocated.
   */
  private Future<Void> register() {
    InFlightAttempts.Loop inFlight = upstreams.inFlight();
    if (!inFlight.enabled()) {
      return cancelled;
    }
    Promise<Void> stop = Promise.promise();
    cancelled.onComplete(v -> stop.tryComplete());
    attemptStop = stop;
    drainedTo = null;
    inFlight.add(basis.scope(), this);
    return stop.future();
  }

  /** Forgets the attempt that just ended; a failure caused by a drain becomes a {@code route_drained} failure. */
  private ProviderFailure unregister(ProviderFailure failure) {
    if (attemptStop == null) {
      return failure;
    }
    attemptStop = null;
    upstreams.inFlight().remove(basis.scope(), this);
    if (failure == null || drainedTo == null || cancelled.isComplete()) {
      return failure;
    }
    // The node, not the provider or the caller, ended it: client_cancelled is the one class that never
    // counts against a provider's health (breakers, rollback evidence); the code says why.
    return new ProviderFailure(ErrorClass.CLIENT_CANCELLED, "the request's route version was drained: its scope"
        + " moved to " + (drainedTo.isEmpty() ? "no version" : drainedTo) + " while the attempt was in flight", 0, -1,
        failure.providerRequestId(), null, ROUTE_DRAINED);
  }

  @Override
  public String plannedOn() {
    return basis.pointer();
  }

  @Override
  public void drain(String movedTo) {
    if (attemptStop != null && drainedTo == null) {
      drainedTo = movedTo == null ? "" : movedTo;
      LOG.info("Request {}: attempt on {} of route version {} cancelled, its scope moved to {}{}", trace.requestId(),
          trace.provider(), plan.routeVersion(), movedTo == null ? "no version" : movedTo,
          chunkSent ? "; the stream had started and ends with a route_drained error" : "; planning again");
      attemptStop.tryComplete();
    }
  }

  @SuppressWarnings("unchecked")
  private Future<T> start(ChatProvider provider, ChatCall call) {
    return client == null ? (Future<T>) provider.complete(call) : (Future<T>) provider.stream(call, this);
  }

  /**
   * Drain: once a scope has been moved (rolled back), no retry or fallback starts on the version it
   * was moved away from; the request continues on the new version's plan, within its deadline.
   *
   * @return false when the request ended here
   */
  private boolean rerouteIfMoved() {
    RoutePlan fresh = basis.replanIfMoved();
    if (fresh == null) {
      return true;
    }
    if (fresh.rejected()) {
      fail(lastFailure);
      return false;
    }
    plan = fresh;
    index = 0;
    retries = 0;
    trace.rerouted(fresh.routeVersion());
    return true;
  }

  private void onFailure(ProviderFailure failure) {
    lastFailure = failure;
    if (ROUTE_DRAINED.equals(failure.code()) && !chunkSent) {
      // Not a retry and not a fallback: the request starts over on the version in force (next() re-plans).
      next(false);
      return;
    }
    if (cancelled.isComplete() || failure.errorClass() == ErrorClass.CLIENT_CANCELLED) {
      fail(failure);
      return;
    }
    RetryPolicy policy = plan.retryPolicy();
    long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (retryable(policy, failure) && policy.hasRetriesLeft(retries)) {
      long delay = policy.delayMillis(retries, failure.retryAfterMillis(), ThreadLocalRandom.current());
      // The deadline is checked before the budget: a retry that cannot happen must not spend a token.
      if (delay < remainingMs && upstreams.retryBudget().tryAcquireRetry()) {
        retries++;
        if (delay <= 0) {
          next(true);
        } else {
          vertx.setTimer(delay, id -> next(true));
        }
        return;
      }
    }
    if (!chunkSent && hasNextRoute() && plan.fallbackOn().contains(failure.errorClass()) && mayMoveOn()) {
      trace.fellBack("circuit_open".equals(failure.code()) ? "breaker_open" : failure.errorClass().wireName());
      index++;
      retries = 0;
      next(false);
      return;
    }
    fail(failure);
  }

  private boolean retryable(RetryPolicy policy, ProviderFailure failure) {
    // A 429 for an exhausted quota is a billing state, not congestion: another try cannot pass.
    return !"insufficient_quota".equals(failure.code()) && !"circuit_open".equals(failure.code())
        && policy.shouldRetry(failure.errorClass(), failure.retryAfterMillis(), chunkSent);
  }

  /**
   * Whether the request may move on to the next planned attempt by itself: always back to a
   * primary; to a fallback route only when the version is cleared for automatic fallback (a
   * clean drill on record, or an operator's override).
   */
  private boolean mayMoveOn() {
    if (plan.attempts().get(index + 1).role() != RouteRole.FALLBACK
        || upstreams.autoFallback().allows(plan.scope(), plan.routeVersion())) {
      return true;
    }
    trace.blockFallback();
    return false;
  }

  private boolean hasNextRoute() {
    return index + 1 < plan.attempts().size();
  }

  private void fail(ProviderFailure failure) {
    trace.failed(failure.errorClass(), failure.providerRequestId());
    result.tryFail(failure);
  }

  // --- the client's sink, seen through the chain so it knows when a byte has gone out ---

  @Override
  public void onChunk(Buffer chunkJson) {
    chunkSent = true;
    if (acceptance != null) {
      acceptance.chunk(chunkJson);
    }
    client.onChunk(chunkJson);
  }

  @Override
  public boolean writeQueueFull() {
    return client.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    client.drainHandler(handler);
  }
}
