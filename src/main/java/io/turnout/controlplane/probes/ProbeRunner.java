package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.ChatCall;
import io.turnout.dataplane.provider.ChatProvider;
import io.turnout.dataplane.provider.ChunkSink;
import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.HttpChatProvider;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.ProviderKeys;
import io.turnout.dataplane.provider.ProviderOptions;
import io.turnout.dataplane.provider.select.Providers;
import io.turnout.dataplane.provider.StreamSummary;
import io.turnout.routes.RouteVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a route version's probe suite, one probe after another, directly through each provider's
 * adapter: no routing, breaker, retry budget or gate signal is involved, and nothing is counted in
 * the node's request metrics. Each provider gets its own one-connection pool for the run (and a
 * second one holding a deliberately invalid key), closed when the run ends, so the timeout probe
 * can prove that a timed-out exchange freed its connection: the request right after it can only
 * be answered on that same single slot. Call on one event loop (a verticle's context).
 */
public final class ProbeRunner {

  /** The key of the negative auth probe: obviously not a key, so it cannot match a real one. */
  static final String INVALID_KEY = "turnout-probe-deliberately-invalid-key";

  private final Vertx vertx;
  private final Map<String, ProviderOptions> providers;
  private final ProbeOptions options;
  private final ProviderKeys keys;

  public ProbeRunner(Vertx vertx, Map<String, ProviderOptions> providers, ProbeOptions options) {
    this(vertx, providers, options, ProviderKeys.NONE);
  }

  /** @param keys the node's live credentials (a rotated key is probed as the traffic sends it) */
  public ProbeRunner(Vertx vertx, Map<String, ProviderOptions> providers, ProbeOptions options, ProviderKeys keys) {
    this.vertx = vertx;
    this.providers = providers;
    this.options = options;
    this.keys = keys;
  }

  /**
   * Runs every probe of {@code version} against every provider it sends to.
   *
   * @param runId sent upstream inside each probe's {@code x-request-id}, so provider logs can be matched
   * @throws IllegalArgumentException when the version names a provider this node does not configure
   */
  public Future<List<ProbeResult>> run(RouteVersion version, String runId) {
    List<ProbeTarget> targets = ProbeSuite.targets(version, providers);
    List<ProbeResult> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (ProbeTarget target : targets) {
      chain = chain.compose(v -> runTarget(target, runId, results));
    }
    return chain.map(v -> results);
  }

  private Future<Void> runTarget(ProbeTarget target, String runId, List<ProbeResult> results) {
    ProviderOptions base = providers.get(target.provider());
    HttpChatProvider provider = new HttpChatProvider(vertx, base, Providers.codec(base), 1, keys);
    ProviderOptions badKey = new ProviderOptions(base.name(), base.kind(), base.baseUrl(), base.path(),
        base.authHeader(), base.authScheme(), INVALID_KEY, base.headers(), base.connectTimeoutMs(),
        base.firstByteTimeoutMs(), base.streamIdleTimeoutMs(), base.totalTimeoutMs(), 1, base.keepAliveSeconds(),
        base.requestStreamUsage(), base.defaultMaxTokens(), base.approval(), base.maxStreamMs());
    HttpChatProvider withBadKey = new HttpChatProvider(vertx, badKey, Providers.codec(badKey), 1);
    Future<Void> chain = Future.succeededFuture();
    for (ProbeSpec spec : ProbeSuite.specs(target, options)) {
      chain = chain.compose(v -> probe(spec, target, runId, spec.invalidKey() ? withBadKey : provider))
          .map(result -> {
            results.add(result);
            return null;
          });
    }
    // Not chained on the close: a pool's close may complete off this event loop, and the next
    // target's probes must run on it.
    return chain.onComplete(done -> {
      provider.close();
      withBadKey.close();
    });
  }

  private Future<ProbeResult> probe(ProbeSpec spec, ProbeTarget target, String runId, ChatProvider provider) {
    String requestId = "probe-" + runId + "-" + target.role().wireName() + "-" + spec.name().wireName();
    Future<ProbeOutcome> outcome = attempt(provider, spec, target, requestId, spec.budgetMs());
    if (spec.name() == ProbeName.TIMEOUT) {
      // Only a freed slot of the one-connection pool lets this follow-up through in time.
      outcome = outcome.compose(timedOut -> attempt(provider, new ProbeSpec(ProbeName.SHORT, spec.request(), false,
          false, target.timeoutMs(), List.of()), target, requestId + "-next", target.timeoutMs())
          .map(timedOut::withFollowUp));
    }
    return outcome.map(o -> ProbeSuite.judge(spec, target, o, options));
  }

  /** One attempt; never fails: a failure is an outcome. */
  private Future<ProbeOutcome> attempt(ChatProvider provider, ProbeSpec spec, ProbeTarget target, String requestId,
      long budgetMs) {
    ChatCall call = new ChatCall(spec.request(), target.modelId(), requestId, spec.stream(), spec.stream(), budgetMs,
        Promise.<Void>promise().future());
    long started = System.nanoTime();
    Future<?> sent = spec.stream() ? provider.stream(call, new CountingSink()) : provider.complete(call);
    return sent.transform(ar -> {
      long latencyMs = (System.nanoTime() - started) / 1_000_000;
      if (ar.succeeded()) {
        Object value = ar.result();
        return Future.succeededFuture(value instanceof Completion c
            ? new ProbeOutcome(c, null, null, latencyMs, 1, null)
            : new ProbeOutcome(null, (StreamSummary) value, null, latencyMs, 1, null));
      }
      ProviderFailure failure = ar.cause() instanceof ProviderFailure f ? f
          : ProviderFailure.of(ErrorClass.NETWORK, "probe attempt failed: " + ar.cause().getClass().getSimpleName());
      return Future.succeededFuture(new ProbeOutcome(null, null, failure, latencyMs, 1, null));
    });
  }

  /** Takes a probe stream's chunks without keeping them: only their arrival matters. */
  private static final class CountingSink implements ChunkSink {
    @Override
    public void onChunk(Buffer chunkJson) {}

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public void drainHandler(Handler<Void> handler) {}
  }
}
