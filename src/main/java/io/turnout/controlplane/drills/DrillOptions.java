package io.turnout.controlplane.drills;

import io.turnout.config.ConfigNode;
import java.nio.file.Path;

/**
 * The {@code drills} section of turnout.yaml.
 *
 * @param reportDir where each drill's report is written (JSON and HTML), absolute
 * @param baselineWindowMs how far before a drill's start its scope's baseline error rate is measured
 * @param errorRateTolerance how far above the baseline the error rate after the rollback may be
 * @param minSamples the attempts after the rollback needed to judge its error rate
 * @param drainGraceMs how long after the rollback an attempt that started before it may still end
 * @param autoFallbackRequiresDrill whether a version fails over automatically only with a passed
 *     probe run and a complete drill of its fallback route on record
 * @param autoFallbackMaxAgeMs how old that drill may be
 */
public record DrillOptions(Path reportDir, long baselineWindowMs, double errorRateTolerance, long minSamples,
    long drainGraceMs, boolean autoFallbackRequiresDrill, long autoFallbackMaxAgeMs) {

  public static final String DEFAULT_REPORT_DIR = "../data/drills";

  /** Reads {@code drills}; every field optional; {@code report_dir} is relative to the config directory. */
  public static DrillOptions fromConfig(ConfigNode node, Path confDir) {
    Path dir = confDir.resolve(node.optString("report_dir", DEFAULT_REPORT_DIR)).normalize();
    long baseline = node.longValue("baseline_window_ms", 600_000, 1_000, 86_400_000);
    double tolerance = node.doubleValue("error_rate_tolerance", 0.01, 0, 1);
    long minSamples = node.longValue("min_samples", 20, 1, 1_000_000);
    long grace = node.longValue("drain_grace_ms", 5_000, 0, 3_600_000);
    ConfigNode auto = node.child("auto_fallback");
    boolean requireDrill = auto.bool("require_drill", true);
    long maxAge = auto.longValue("max_age_ms", 90L * 86_400_000, 60_000, 3650L * 86_400_000);
    auto.finish();
    node.finish();
    return new DrillOptions(dir, baseline, tolerance, minSamples, grace, requireDrill, maxAge);
  }
}
