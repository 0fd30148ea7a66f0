package io.turnout.dataplane.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link CanarySelector}: deterministic, sticky, monotonic cohort hashing. */
class CanarySelectorTest {

  private static final String ALIAS = "support-summary-v3";
  private static final int KEYS = 100_000;
  private final CanarySelector selector = CanarySelector.hashed();

  /**
   * Expected values computed by an independent implementation (Python, arbitrary-precision
   * integers masked to 64 bits), so this pins the algorithm itself, the same on every JVM.
   */
  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = '|', textBlock = """
      support-summary-v3 | acme:alice       | -604408883957445304  | 6312
      support-summary-v3 | acme:bob         | 4738004838441596668  | 6668
      support-summary-v3 | acme             | 7982465294603083539  | 3539
      internal-triage-v1 | acme:alice       | 8002842765804466     | 4466
      support-summary-v3 | tenant-ü:ユーザー | 7689088906852687816  | 7816
      ''                 | ''               | -5115162479779449349 | 2267
      ab                 | c                | -3999880469019166307 | 5309
      a                  | bc               | -2354552816901149241 | 2375
      """)
  void hashesMatchPrecomputedValues(String alias, String key, long hash, int bucket) {
    assertEquals(hash, CanarySelector.hash(alias, key));
    assertEquals(bucket, CanarySelector.bucket(alias, key));
  }

  @Test
  void fivePercentShareSelectsFivePercentOfKeys() {
    int in = 0;
    for (int i = 0; i < KEYS; i++) {
      if (selector.inCanary(ALIAS, "tenant-" + (i % 97) + ":user-" + i, 0.05)) {
        in++;
      }
    }
    assertTrue(in >= 4_500 && in <= 5_500, "selected " + in + " of " + KEYS);
  }

  @Test
  void aKeyStaysWhereItWas() {
    for (int i = 0; i < 1_000; i++) {
      String key = "acme:user-" + i;
      boolean first = selector.inCanary(ALIAS, key, 0.3);
      for (int repeat = 0; repeat < 3; repeat++) {
        assertEquals(first, selector.inCanary(ALIAS, key, 0.3), key);
      }
    }
  }

  @Test
  void growingTheShareKeepsEveryoneAlreadyIn() {
    int atFive = 0;
    int atTen = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = "acme:user-" + i;
      boolean five = selector.inCanary(ALIAS, key, 0.05);
      boolean ten = selector.inCanary(ALIAS, key, 0.10);
      assertTrue(!five || ten, key + " left the canary when it grew");
      atFive += five ? 1 : 0;
      atTen += ten ? 1 : 0;
    }
    assertTrue(atTen >= 9_400 && atTen <= 10_600, "selected " + atTen + " at 10%");
    assertTrue(atTen > atFive);
  }

  @Test
  void theAliasSaltsTheSelection() {
    int same = 0;
    for (int i = 0; i < 10_000; i++) {
      String key = "acme:user-" + i;
      if (selector.inCanary(ALIAS, key, 0.5) == selector.inCanary("internal-triage-v1", key, 0.5)) {
        same++;
      }
    }
    // Independent 50% draws agree about half the time; a shared bucket would agree always.
    assertTrue(same > 4_500 && same < 5_500, "agreed " + same + " times");
    assertNotEquals(CanarySelector.hash("ab", "c"), CanarySelector.hash("a", "bc"));
  }

  @Test
  void zeroAndFullShares() {
    for (int i = 0; i < 1_000; i++) {
      assertFalse(selector.inCanary(ALIAS, "k" + i, 0.0));
      assertTrue(selector.inCanary(ALIAS, "k" + i, 1.0));
    }
    assertFalse(selector.inCanary(ALIAS, "k", Double.NaN));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      acme | alice | req-1 | acme:alice
      acme |       | req-1 | acme:req-1
      acme | ' '   | req-1 | acme:req-1
      acme |       |       | acme
      acme | alice |       | acme:alice
      """)
  void stableKeyPrefersTheEndUserThenTheRequestKeyThenTheTenant(String tenant, String user, String request,
      String expected) {
    assertEquals(expected, CanarySelector.stableKey(tenant, user, request));
  }

  @Test
  void stableKeyNeedsATenant() {
    assertThrows(NullPointerException.class, () -> CanarySelector.stableKey(null, "alice", null));
  }
}
