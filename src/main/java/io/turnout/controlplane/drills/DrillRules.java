package io.turnout.controlplane.drills;

/**
 * The settings the {@link DrillMachine} decides with.
 *
 * @param nodeId this member, recorded on the claims it takes
 * @param bucketMs the gates' bucket width (check edges are whole buckets)
 */
public record DrillRules(String nodeId, long bucketMs, long baselineWindowMs, long drainGraceMs,
    double errorRateTolerance, long minSamples) {

  static DrillRules of(DrillOptions options, String nodeId, long bucketMs) {
    return new DrillRules(nodeId, bucketMs, options.baselineWindowMs(), options.drainGraceMs(),
        options.errorRateTolerance(), options.minSamples());
  }

  /** From when attempts on the fallback route count as new: the rollback plus the grace, rounded up to a bucket. */
  long settledFromMs(long rolledBackMs) {
    return (rolledBackMs + drainGraceMs) / bucketMs * bucketMs + bucketMs;
  }
}
