package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigNode;
import io.turnout.dataplane.provider.ErrorClass;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RetryPolicy}: which failures are retried, and after how long. */
class RetryPolicyTest {

  private static final RetryPolicy DEFAULT = RetryPolicy.DEFAULT;

  @ParameterizedTest(name = "{0} retry-after={1} chunkSent={2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      TIMEOUT            | -1    | false | true
      NETWORK            | -1    | false | true
      UPSTREAM_5XX       | -1    | false | true
      RATE_LIMITED       | -1    | false | true
      RATE_LIMITED       | 0     | false | true
      RATE_LIMITED       | 2000  | false | true
      RATE_LIMITED       | 2001  | false | false
      UPSTREAM_5XX       | 30000 | false | false
      TIMEOUT            | -1    | true  | false
      RATE_LIMITED       | 100   | true  | false
      AUTH               | -1    | false | false
      VALIDATION         | -1    | false | false
      CONTENT_POLICY     | -1    | false | false
      MALFORMED_RESPONSE | -1    | false | false
      CLIENT_CANCELLED   | -1    | false | false
      """)
  void defaultPolicyRetriesOnlyTransientFailuresBeforeAnyChunk(ErrorClass c, long retryAfter, boolean sent,
      boolean expected) {
    assertEquals(expected, DEFAULT.shouldRetry(c, retryAfter, sent));
  }

  @Test
  void onlyListedClassesAndOnlyWhileRetriesAreLeft() {
    RetryPolicy timeoutsOnly = new RetryPolicy(2, EnumSet.of(ErrorClass.TIMEOUT), 2_000, 50);
    RetryPolicy none = new RetryPolicy(0, EnumSet.of(ErrorClass.TIMEOUT), 2_000, 50);

    assertTrue(timeoutsOnly.shouldRetry(ErrorClass.TIMEOUT, -1, false));
    assertFalse(timeoutsOnly.shouldRetry(ErrorClass.UPSTREAM_5XX, -1, false));
    assertFalse(none.shouldRetry(ErrorClass.TIMEOUT, -1, false));
    assertTrue(timeoutsOnly.hasRetriesLeft(1));
    assertFalse(timeoutsOnly.hasRetriesLeft(2));
  }

  @ParameterizedTest(name = "retry {0}, retry-after {1} -> {2}..{3} ms")
  @CsvSource(delimiter = '|', textBlock = """
      0 | -1   | 50   | 75
      1 | -1   | 100  | 150
      2 | -1   | 200  | 300
      0 | 700  | 700  | 700
      0 | 0    | 0    | 0
      1 | 9000 | 2000 | 2000
      """)
  void delayDoublesWithJitterOrHonoursRetryAfter(int index, long retryAfter, long min, long max) {
    assertEquals(min, DEFAULT.delayMillis(index, retryAfter, jitter(false)));
    assertEquals(max, DEFAULT.delayMillis(index, retryAfter, jitter(true)));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      long delay = DEFAULT.delayMillis(index, retryAfter, random);
      assertTrue(delay >= min && delay <= max, "delay " + delay);
    }
  }

  @Test
  void zeroBackoffRetriesAtOnce() {
    assertEquals(0, new RetryPolicy(1, EnumSet.of(ErrorClass.TIMEOUT), 0, 0).delayMillis(0, -1, jitter(true)));
  }

  @Test
  void anEmptySectionIsTheDefaultAndToJsonReadsBack() {
    RetryPolicy custom = new RetryPolicy(3, EnumSet.of(ErrorClass.NETWORK, ErrorClass.RATE_LIMITED), 500, 20);

    assertEquals(DEFAULT, RetryPolicy.fromConfig(ConfigNode.root("f", new JsonObject())));
    assertEquals(custom, RetryPolicy.fromConfig(ConfigNode.root("f", custom.toJson())));
  }

  @Test
  void theConstructorRefusesWhatTheConfigRefuses() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(4, EnumSet.of(ErrorClass.TIMEOUT), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, EnumSet.of(ErrorClass.AUTH), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, EnumSet.of(ErrorClass.TIMEOUT), -1, 0));
  }

  /** A generator whose bounded draws are always the lowest or the highest value. */
  private static RandomGenerator jitter(boolean highest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return highest ? bound - 1 : 0;
      }
    };
  }
}
