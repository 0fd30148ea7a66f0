package io.turnout.dataplane.chat;

import io.turnout.dataplane.acceptance.Acceptance;
import io.turnout.dataplane.drain.InFlightAttempt;
import io.turnout.dataplane.drain.InFlightAttempts;
import io.turnout.dataplane.signals.AttemptSignals;
import io.turnout.dataplane.provider.ChatCall;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.dataplane.provider.ChunkSink;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.FailureCode;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamSummary;
import io.turnout.dataplane.routing.PlannedAttempt;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.turnout.dataplane.observability.RequestTrace;

/**
 * Carries out the {@link AttemptPolicy}'s decisions for one request: starts each attempt through
 * the provider's breaker, waits out retry delays, re-plans after a drain, judges answers by the
 * alias's acceptance checks, and reports every attempt that was made (an attempt the breaker turned
 * away was not made: it is neither counted nor reported). Retry, fallback, deadline and breaker
 * decisions are the policy's alone.
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

  /** The code of a failure caused by draining the attempt's route version. */
  static final String ROUTE_DRAINED = FailureCode.ROUTE_DRAINED.wireName();

  private static final Logger LOG = LoggerFactory.getLogger(AttemptChain.class);

  private final Vertx vertx;
  private final AttemptPolicy policy;
  private final AttemptObserver attempts;
  private final PlanBasis basis;
  private final ChatService.Upstreams upstreams;
  private final ChatRequest request;
  private final RequestTrace trace;
  private final Future<Void> cancelled;
  private final ChunkSink client;
  private final Promise<T> result = Promise.promise();
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
  AttemptChain(Vertx vertx, AttemptPolicy.Plan plan, PlanBasis basis, ChatService.Upstreams upstreams,
      ChatRequest request, RequestTrace trace, Future<Void> cancelled, ChunkSink client) {
    this.vertx = vertx;
    this.basis = basis;
    this.upstreams = upstreams;
    this.request = request;
    this.trace = trace;
    this.cancelled = cancelled;
    this.client = client;
    this.attempts = AttemptObserver.of(upstreams.observer(), trace);
    this.policy = new AttemptPolicy(plan, upstreams.breakers()::isOpen, upstreams.retryBudget()::tryAcquireRetry,
        upstreams.nanoClock(), upstreams.random());
  }

  Future<T> run() {
    advance();
    return result.future();
  }

  private void step(AttemptStep step) {
    if (step instanceof AttemptStep.Attempt attempt) {
      start(attempt);
    } else if (step instanceof AttemptStep.Retry retry) {
      if (retry.delayMillis() <= 0) {
        advance();
      } else {
        vertx.setTimer(retry.delayMillis(), id -> advance());
      }
    } else if (step instanceof AttemptStep.GiveUp end) {
      if (end.target() != null) {
        trace.target(end.target().role().wireName(), end.target().provider(), end.target().providerModelId());
      }
      if (end.skipped() != null) {
        trace.fallbackSkipped(end.skipped());
      }
      fail(end.failure());
    } else {
      // FallBack, StartOver: the next attempt, on the version in force
      advance();
    }
  }

  /** The first step, or the one after a retry delay, a move or a drain, on the version in force. */
  private void advance() {
    if (cancelled.isComplete()) {
      fail(ProviderFailure.of(ErrorClass.CLIENT_CANCELLED, "caller cancelled the request"));
      return;
    }
    if (rerouteIfMoved()) {
      step(policy.next());
    }
  }

  private void start(AttemptStep.Attempt step) {
    PlannedAttempt planned = step.target();
    ChatProvider provider = upstreams.providers().get(planned.provider());
    var signals = AttemptObserver.key(policy.route(), planned, trace.caller());
    boolean fallback = policy.onLaterRoute() && !step.retry();
    long[] started = {-1};
    upstreams.breakers().<T>call(planned.provider(), () -> {
      // The breaker let it start: from here on it is an upstream attempt.
      started[0] = upstreams.nanoClock().getAsLong();
      if (step.movedBecause() != null) {
        trace.fellBack(step.movedBecause());
      }
      trace.attempt(planned.role().wireName(), planned.provider(), planned.providerModelId(), step.retry());
      if (client != null) {
        client.onAttempt(planned.provider(), trace.attempts());
      }
      ChatCall call = new ChatCall(request.body(), planned.providerModelId(), trace.requestId(), request.stream(),
          request.includeUsage(), step.budgetMillis(), register());
      attempts.started(signals, step.retry(), fallback);
      acceptance = upstreams.acceptance().track(request.alias(), request.body());
      return start(provider, call);
    }).onComplete(ar -> {
      ProviderFailure failure = ar.succeeded() ? null : ar.cause() instanceof ProviderFailure f ? f
          : ProviderFailure.of(ErrorClass.NETWORK, "upstream attempt failed");
      if (started[0] < 0) {
        // Turned away by the breaker before it started: nothing went upstream, nothing is reported.
        trace.target(planned.role().wireName(), planned.provider(), planned.providerModelId());
        step(policy.onFailure(failure));
        return;
      }
      failure = unregister(failure);
      long nanos = upstreams.nanoClock().getAsLong() - started[0];
      if (failure == null) {
        accept(ar.result(), attempts.answered(signals, nanos, step.retry(), fallback, planned.providerModelId(), ar));
      } else {
        attempts.finished(signals, failure.errorClass(), nanos, step.retry(), fallback);
        step(policy.onFailure(failure));
      }
    });
  }

  /**
   * Answers the client, judging the answer by the alias's acceptance checks: after answering when
   * a failed check is only counted (off the answer's critical path), before when it fails the
   * attempt, which may then move on to the next planned route.
   */
  private void accept(T answer, AttemptSignals signals) {
    Acceptance.Tracker tracker = acceptance;
    if (tracker == null) {
      upstreams.observer().record(signals);
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
    } else {
      step(policy.onRejectedAnswer(ProviderFailure.ours(ErrorClass.MALFORMED_RESPONSE,
          "the answer failed the output acceptance checks: " + String.join("; ", verdict.failures()), 0,
          FailureCode.ACCEPTANCE_FAILED)));
    }
  }

  private static Acceptance.Verdict judge(Acceptance.Tracker tracker, Object answer) {
    return answer instanceof Completion c ? tracker.completed(c.body()) : tracker.streamEnded();
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
    return ProviderFailure.ours(ErrorClass.CLIENT_CANCELLED, "the request's route version was drained: its scope"
        + " moved to " + (drainedTo.isEmpty() ? "no version" : drainedTo) + " while the attempt was in flight", 0,
        FailureCode.ROUTE_DRAINED).withProviderRequestId(failure.providerRequestId());
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
          trace.provider(), policy.route().routeVersion(), movedTo == null ? "no version" : movedTo,
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
    if (policy.lastFailure() == null) {
      return true;
    }
    AttemptPolicy.Plan fresh = basis.replanIfMoved();
    if (fresh == null) {
      return true;
    }
    if (fresh.route().rejected()) {
      fail(policy.lastFailure());
      return false;
    }
    policy.restart(fresh);
    trace.rerouted(fresh.route().routeVersion());
    return true;
  }

  private void fail(ProviderFailure failure) {
    trace.failed(failure.errorClass(), failure.providerRequestId());
    result.tryFail(failure);
  }

  // --- the client's sink, seen through the chain so it knows when a byte has gone out ---

  @Override
  public void onChunk(Buffer chunkJson) {
    chunkSent = true;
    policy.streamStarted();
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
