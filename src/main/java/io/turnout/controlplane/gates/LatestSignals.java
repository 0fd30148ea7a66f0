package io.turnout.controlplane.gates;

/**
 * The cluster's signals as this member last added them up (once per gate tick), for readers other
 * than the gates themselves: drills' evidence and drain checks. Written by the gate verticle only.
 */
public final class LatestSignals {

  private volatile ClusterSignals signals;
  private volatile long atMs = -1;

  void update(ClusterSignals next, long nowMs) {
    signals = next;
    atMs = nowMs;
  }

  /** The latest sum, or null before the first tick. */
  public ClusterSignals signals() {
    return signals;
  }

  /** When the latest sum was made (epoch millis), or -1. */
  public long atMs() {
    return atMs;
  }
}
