package io.turnout.bench;

/**
 * What one path (direct or via the node, plain or streaming) accumulated over its measured
 * batches: latencies, and the wall and CPU time of each process spent while its batches ran.
 */
final class Tally {

  final String name;
  /** Plain: whole request. Streaming: time to the first chunk. */
  final LatencyRecorder latency;
  /** Streaming only: time to the end of the stream; null for plain requests. */
  final LatencyRecorder whole;
  int requests;
  long wallNanos;
  ProcCpu.Sample nodeCpu = ProcCpu.ZERO;
  ProcCpu.Sample simCpu = ProcCpu.ZERO;
  /** The floor proxy's CPU (the bare vertx-core pass-through) while this path's batches ran. */
  ProcCpu.Sample floorCpu = ProcCpu.ZERO;
  long clientCpuNanos;

  Tally(String name, int capacity, boolean streaming) {
    this.name = name;
    this.latency = new LatencyRecorder(capacity);
    this.whole = streaming ? new LatencyRecorder(capacity) : null;
  }

  /** CPU microseconds per request of a process, from a nanosecond total. */
  double perRequestMicros(long cpuNanos) {
    return requests == 0 ? Double.NaN : cpuNanos / 1_000.0 / requests;
  }
}
