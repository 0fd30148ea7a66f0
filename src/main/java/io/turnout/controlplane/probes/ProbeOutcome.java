package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.Completion;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamSummary;

/**
 * What one probe's attempt came back with: exactly one of completion, stream and failure.
 *
 * @param latencyMs from send to outcome
 * @param attempts the upstream attempts made (a probe never retries: 1)
 * @param followUp for the timeout probe, the request sent right after on the same one-connection
 *     pool (it succeeds only if the timed-out exchange freed its connection); else null
 */
public record ProbeOutcome(Completion completion, StreamSummary stream, ProviderFailure failure, long latencyMs,
    int attempts, ProbeOutcome followUp) {

  /** Whether the provider answered (a completion or a stream that reached its terminal event). */
  public boolean answered() {
    return completion != null || stream != null;
  }

  /** The same outcome with a follow-up. */
  public ProbeOutcome withFollowUp(ProbeOutcome next) {
    return new ProbeOutcome(completion, stream, failure, latencyMs, attempts, next);
  }
}
