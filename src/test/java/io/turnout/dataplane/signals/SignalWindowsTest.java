package io.turnout.dataplane.signals;

import static io.turnout.controlplane.gates.GateFixture.T0;
import static io.turnout.controlplane.gates.GateFixture.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.config.ConfigNode;
import io.turnout.config.YamlFiles;
import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.provider.UsageSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.turnout.controlplane.gates.ClusterSignals;
import io.turnout.controlplane.gates.GateSignal;

class SignalWindowsTest {

  private final SignalKey fallback = key("canary", 0, "cometapi", "fallback");

  @Test
  void countsAreSummedOverTheWindowOnly() {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    windows.attempt(fallback, ErrorClass.UPSTREAM_5XX, 1_000_000, false, false, T0);
    windows.attempt(fallback, null, 1_000_000, true, false, T0 + 5_000);
    windows.attempt(fallback, ErrorClass.TIMEOUT, 1_000_000, false, true, T0 + 9_999);

    SignalCounts all = sum(windows, T0 + 9_999, 10_000);
    assertEquals(3, all.attempts());
    assertEquals(1, all.failures(ErrorClass.UPSTREAM_5XX));
    assertEquals(1, all.retries());
    assertEquals(1, all.fallbacks());

    SignalCounts later = sum(windows, T0 + 10_000, 10_000);
    assertEquals(2, later.attempts());
    assertEquals(0, later.failures(ErrorClass.UPSTREAM_5XX));
    assertEquals(0.5, GateSignal.TIMEOUT_RATE.value(later));
  }

  @Test
  void aRingSlotReusedForANewBucketStartsAtZero() {
    SignalWindows windows = new SignalWindows(1_000, 2_000, PriceTable.NONE);
    windows.attempt(fallback, ErrorClass.UPSTREAM_5XX, 1_000_000, false, false, T0);
    // 4 slots: the bucket 4 s later lands in the same slot.
    windows.attempt(fallback, null, 1_000_000, false, false, T0 + 4_000);

    SignalCounts counts = sum(windows, T0 + 4_000, 2_000);
    assertEquals(1, counts.attempts());
    assertEquals(0, counts.failures());
  }

  @Test
  void latencyQuantilesComeFromTheSharedBuckets() {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    for (int i = 0; i < 90; i++) {
      windows.attempt(fallback, null, 40_000_000, false, false, T0);
    }
    for (int i = 0; i < 10; i++) {
      windows.attempt(fallback, null, 2_500_000_000L, false, false, T0);
    }

    SignalCounts counts = sum(windows, T0, 10_000);
    assertEquals(50, GateSignal.LATENCY_P50_MS.value(counts));
    assertEquals(3_000, GateSignal.LATENCY_P95_MS.value(counts));
    assertEquals(3_000, GateSignal.LATENCY_P99_MS.value(counts));
  }

  @Test
  void usageIsCountedAndPricedPerProviderModel() {
    PriceTable prices = PriceTable.fromConfig(ConfigNode.root("turnout.yaml", YamlFiles.parse("turnout.yaml", """
        cometapi:
          gpt-comet: {input_per_million_usd: 0.15, output_per_million_usd: 0.60}
        """)), Set.of("primary", "cometapi"));
    SignalWindows windows = new SignalWindows(1_000, 10_000, prices);
    windows.answer(fallback, "gpt-comet", Usage.provider(1_000_000, 500_000), T0);
    windows.answer(fallback, "gpt-comet", new Usage(0, 0, 0, UsageSource.NONE), T0);

    SignalCounts counts = sum(windows, T0, 10_000);
    assertEquals(1_500_000, counts.tokens());
    assertEquals(0.45, GateSignal.COST_USD.value(counts), 1e-9);
    assertEquals(0.5, GateSignal.USAGE_UNREPORTED_RATE.value(counts));
    assertEquals(2, GateSignal.COST_USD.samples(counts));
  }

  @Test
  void exportsSurviveTheTripThroughJsonExactly() {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    windows.attempt(fallback, ErrorClass.MALFORMED_RESPONSE, 7_000_000, true, true, T0);
    windows.answer(fallback, "gpt-comet", Usage.provider(10, 20), T0 + 1_000);

    SignalCounts counts = ClusterSignals.merge(1_000, List.of(windows.export(T0 + 1_000)))
        .sum(k -> true, T0 + 1_000, 10_000);

    SignalCounts expected = new SignalCounts();
    expected.attempt(ErrorClass.MALFORMED_RESPONSE, 7_000_000, true, true);
    expected.answer(UsageSource.PROVIDER, 10, 20, 0);
    assertEquals(expected.toJson().put("s", 1), counts.toJson(), "the attempt also counted in the bucket it started in");
  }

  @Test
  void anAttemptIsAlsoCountedInTheBucketItStarted_whileTheRingHoldsIt() {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    // ended at T0 + 5 s after 4.5 s: started in T0's bucket
    windows.attempt(fallback, null, 4_500_000_000L, false, false, T0 + 5_000);
    // ended at T0 + 5 s after a minute: older than the ring, counted by its end only
    windows.attempt(fallback, null, 60_000_000_000L, false, false, T0 + 5_000);
    ClusterSignals signals = ClusterSignals.merge(1_000, List.of(windows.export(T0 + 5_000)));

    assertEquals(1, signals.between(k -> true, T0, T0 + 999).attemptsStarted());
    assertEquals(0, signals.between(k -> true, T0, T0 + 999).attempts());
    assertEquals(0, signals.between(k -> true, T0 + 1_000, T0 + 5_000).attemptsStarted());
    assertEquals(2, signals.between(k -> true, T0 + 5_000, T0 + 5_000).attempts());
  }

  @Test
  void anExportWithAnotherBucketWidthIsLeftOut() {
    SignalWindows other = new SignalWindows(5_000, 10_000, PriceTable.NONE);
    other.attempt(fallback, null, 1, false, false, T0);

    ClusterSignals merged = ClusterSignals.merge(1_000, List.of(other.export(T0)));

    assertEquals(1, merged.skipped());
    assertEquals(0, merged.sum(k -> true, T0, 10_000).attempts());
  }

  @Test
  void idleKeysAreDroppedOnceTheyLeaveTheHorizon() {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    windows.attempt(fallback, null, 1, false, false, T0);

    assertEquals(1, windows.export(T0 + 5_000).getJsonArray("keys").size());
    assertEquals(0, windows.export(T0 + 20_000).getJsonArray("keys").size());
    assertEquals(0, windows.export(T0 + 20_001).getJsonArray("keys").size());
  }

  @Test
  void oneRecordOfAnAttemptItsAnswerAndItsVerdictCountsWhatThreeSeparateWritesDid() {
    SignalWindows apart = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    apart.attempt(fallback, null, 1_500_000_000L, true, false, T0 + 2_000);
    apart.answer(fallback, "gpt-comet", Usage.provider(10, 20), T0 + 2_000);
    apart.acceptance(fallback, false, T0 + 2_000);
    SignalWindows once = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    once.record(new AttemptSignals(fallback, null, 1_500_000_000L, true, false, T0 + 2_000)
        .answered(PriceTable.NONE, "gpt-comet", Usage.provider(10, 20)).accepted(false));

    assertEquals(apart.export(T0 + 2_000), once.export(T0 + 2_000));
    SignalCounts counts = sum(once, T0 + 2_000, 10_000);
    assertEquals(1, counts.attempts());
    assertEquals(30, counts.tokens());
    assertEquals(1, counts.acceptanceFailures());
    assertEquals(1, counts.attemptsStarted(), "counted in T0's bucket too, where it started");
  }

  @Test
  void eachThreadWritesItsOwnShardAndTheExportAddsThemUp() throws InterruptedException {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    SignalKey primary = key("canary", 0, "primary", "primary");
    windows.attempt(fallback, ErrorClass.TIMEOUT, 1, false, false, T0);
    Thread other = new Thread(() -> {
      windows.attempt(fallback, null, 1, false, false, T0);
      windows.attempt(primary, null, 1, false, false, T0 + 1_000);
    });
    other.start();
    other.join();

    ClusterSignals signals = ClusterSignals.merge(1_000, List.of(windows.export(T0 + 1_000)));
    assertEquals(2, signals.sum(k -> k.equals(fallback), T0 + 1_000, 10_000).attempts());
    assertEquals(1, signals.sum(k -> k.equals(fallback), T0 + 1_000, 10_000).failures(ErrorClass.TIMEOUT));
    assertEquals(1, signals.sum(k -> k.equals(primary), T0 + 1_000, 10_000).attempts());
    assertEquals(2, windows.export(T0 + 1_000).getJsonArray("keys").size(), "one entry per key, not per shard");
    assertEquals(1, windows.export(T0 + 1_000).getJsonArray("keys").getJsonObject(0).getJsonArray("buckets").size());
  }

  @Test
  void anAttemptStaysInFlightUntilItsSignalsAreWritten() {
    SignalWindows windows = new SignalWindows(1_000, 10_000, PriceTable.NONE);
    windows.started(fallback);
    AttemptSignals answered = new AttemptSignals(fallback, null, 1_000_000, false, false, T0);

    assertEquals(1, windows.export(T0).getJsonObject("in_flight").getLong(fallback.routeVersion()));
    windows.record(answered.accepted(true));
    assertEquals(0, windows.export(T0).getJsonObject("in_flight").size());
  }

  private static SignalCounts sum(SignalWindows windows, long nowMs, long windowMs) {
    return ClusterSignals.merge(windows.bucketMs(), List.of(windows.export(nowMs))).sum(k -> true, nowMs, windowMs);
  }
}
