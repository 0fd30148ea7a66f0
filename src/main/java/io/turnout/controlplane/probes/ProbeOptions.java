package io.turnout.controlplane.probes;

import io.turnout.config.ConfigNode;
import java.nio.file.Path;

/**
 * The {@code probes} section of turnout.yaml: whether activations need passed probe runs, where
 * evidence goes, and what the probes send.
 *
 * @param required whether a route version may take traffic only after its latest probe run, and
 *     its rollback version's, passed (an operator can still force an activation, audited)
 * @param evidenceDir where every run is appended as a JSON line ({@link #EVIDENCE_FILE})
 * @param tokenCeiling the {@code max_tokens} of the token-ceiling probe: the route's normal ceiling
 * @param timeoutProbeMs the total timeout of the timeout probe: far below any real answer's latency
 * @param prompts the sanitized texts
 */
public record ProbeOptions(boolean required, Path evidenceDir, int tokenCeiling, long timeoutProbeMs,
    ProbePrompts prompts) {

  public static final boolean DEFAULT_REQUIRED = true;
  /** Relative to the config directory: {@code data/evidence} beside {@code conf/}. */
  public static final String DEFAULT_EVIDENCE_DIR = "../data/evidence";
  /** The file inside the evidence directory that every run is appended to. */
  public static final String EVIDENCE_FILE = "probes.jsonl";
  public static final int DEFAULT_TOKEN_CEILING = 4_000;
  public static final long DEFAULT_TIMEOUT_PROBE_MS = 5;
  /**
   * How long after its timeout the timed-out attempt may take to settle: past this, the attempt
   * did not cancel cleanly.
   */
  public static final long TIMEOUT_MARGIN_MS = 500;

  /** The defaults, with the evidence directory resolved against {@code confDir}. */
  public static ProbeOptions defaults(Path confDir) {
    return new ProbeOptions(DEFAULT_REQUIRED, confDir.resolve(DEFAULT_EVIDENCE_DIR).normalize(), DEFAULT_TOKEN_CEILING,
        DEFAULT_TIMEOUT_PROBE_MS, ProbePrompts.defaults());
  }

  /** Reads {@code probes}; every field optional, unknown ones rejected with their path. */
  public static ProbeOptions fromConfig(ConfigNode node, Path confDir) {
    boolean required = node.bool("required", DEFAULT_REQUIRED);
    Path dir = confDir.resolve(node.optString("evidence_dir", DEFAULT_EVIDENCE_DIR)).normalize();
    int ceiling = node.intValue("token_ceiling", DEFAULT_TOKEN_CEILING, 16, 1_000_000);
    long timeout = node.longValue("timeout_probe_ms", DEFAULT_TIMEOUT_PROBE_MS, 1, 10_000);
    ProbePrompts prompts = ProbePrompts.fromConfig(node.child("prompts"));
    node.finish();
    return new ProbeOptions(required, dir, ceiling, timeout, prompts);
  }
}
