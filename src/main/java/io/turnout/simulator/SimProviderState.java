package io.turnout.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Everything one simulated provider remembers: its script and what is left of its counted faults,
 * its random source, its request log and its counters. Confined to the simulator's event loop:
 * not thread-safe, and never touched from elsewhere.
 */
final class SimProviderState {

  /** Request-log entries kept; older ones are dropped first. */
  static final int LOG_CAPACITY = 1_000;

  private final SimProviderConfig config;
  private final SimContract contract;
  private SimScript script;
  private int[] remaining;
  private Random random;
  private long seq;
  private final ArrayDeque<JsonObject> log = new ArrayDeque<>();
  private final Map<String, Long> outcomes = new TreeMap<>();
  private long requests;
  private long openStreams;
  private long openExchanges;
  private long clientClosed;
  private long openConnections;

  SimProviderState(SimProviderConfig config) {
    this.config = config;
    this.contract = SimContract.of(config.contract());
    replaceScript(config.script());
  }

  String name() {
    return config.name();
  }

  SimContract contract() {
    return contract;
  }

  SimScript script() {
    return script;
  }

  /** Whether a presented key is this provider's key. */
  boolean keyMatches(String presented) {
    return SimContract.sameKey(presented, config.apiKey());
  }

  /** Puts a new script in force: counted faults start over and the random source is re-seeded. */
  void replaceScript(SimScript next) {
    script = next;
    remaining = next.faults().stream().mapToInt(Fault::times).toArray();
    random = next.seed() == null ? new Random() : new Random(next.seed());
  }

  /**
   * The fault for the next accepted request, or null for a normal answer: the first counted fault
   * with firings left, else one draw against the cumulative shares.
   */
  Fault nextFault() {
    List<Fault> faults = script.faults();
    for (int i = 0; i < faults.size(); i++) {
      if (faults.get(i).counted() && remaining[i] > 0) {
        remaining[i]--;
        return faults.get(i);
      }
    }
    if (faults.stream().noneMatch(f -> f.share() > 0)) {
      return null;
    }
    double draw = random.nextDouble();
    double cumulative = 0;
    for (Fault fault : faults) {
      cumulative += fault.share();
      if (fault.share() > 0 && draw < cumulative) {
        return fault;
      }
    }
    return null;
  }

  /** The delay before the next answer's first byte. */
  long nextLatencyMillis() {
    return script.latency().sampleMillis(random);
  }

  /** Counts a new request and returns its sequence number (1, 2, ...). */
  long nextSeq() {
    requests++;
    return ++seq;
  }

  /** Appends a request-log entry (with its outcome) and counts the outcome. */
  void record(JsonObject entry) {
    outcomes.merge(entry.getString("outcome"), 1L, Long::sum);
    log.addLast(entry);
    while (log.size() > LOG_CAPACITY) {
      log.removeFirst();
    }
  }

  JsonArray requestLog() {
    JsonArray array = new JsonArray();
    log.forEach(array::add);
    return array;
  }

  void clearRequestLog() {
    log.clear();
  }

  void exchangeOpened() {
    openExchanges++;
  }

  void streamOpened() {
    openStreams++;
  }

  /** An exchange is over; {@code byClient} when the client closed the connection before we finished. */
  void exchangeEnded(boolean streaming, boolean byClient) {
    openExchanges--;
    if (streaming) {
      openStreams--;
    }
    if (byClient) {
      clientClosed++;
    }
  }

  void connectionOpened() {
    openConnections++;
  }

  void connectionClosed() {
    openConnections--;
  }

  JsonObject stats() {
    JsonObject byOutcome = new JsonObject();
    outcomes.forEach(byOutcome::put);
    return new JsonObject()
        .put("requests", requests)
        .put("open_streams", openStreams)
        .put("open_exchanges", openExchanges)
        .put("client_closed", clientClosed)
        .put("open_connections", openConnections)
        .put("outcomes", byOutcome);
  }

  JsonObject describe() {
    return new JsonObject()
        .put("name", config.name())
        .put("contract", config.contract().wireName())
        .put("path", "/" + config.name() + contract.completionPath())
        .put("script", script.toJson());
  }
}
