package io.turnout.dataplane.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** RequestIds: a sane client id is kept, anything else is replaced by a fresh well-formed id. */
class RequestIdsTest {

  private static final Pattern GENERATED = Pattern.compile("req_[0-9a-f]{32}");

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"a", "req-123", "0b6f1c2e-8f3a-4c1d-9e2b-7a6d5c4b3a21", "trace.span:01_AB-z",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:"})
  void givenSaneClientId_whenUsed_thenItIsKept(String id) {
    assertEquals(id, RequestIds.fromClient(id));
  }

  @Test
  void givenClientIdOfExactly128Characters_whenUsed_thenItIsKept() {
    String id = "x".repeat(128);

    assertEquals(id, RequestIds.fromClient(id));
  }

  @Test
  void givenClientIdOf129Characters_whenUsed_thenItIsReplaced() {
    String id = "x".repeat(129);

    String used = RequestIds.fromClient(id);

    assertNotEquals(id, used);
    assertTrue(GENERATED.matcher(used).matches(), used);
  }

  @ParameterizedTest(name = "[{0}]")
  @NullAndEmptySource
  @ValueSource(strings = {" ", "has space", "slash/id", "new\nline", "crlf\r\ninjection: x", "tab\tid", "üñí",
      "quote\"id", "semi;colon", "emoji\uD83D\uDE00", "a,b", "<script>", "%00"})
  void givenOddClientId_whenUsed_thenItIsReplacedByAGeneratedId(String id) {
    String used = RequestIds.fromClient(id);

    assertNotEquals(id, used);
    assertTrue(GENERATED.matcher(used).matches(), used);
  }

  @Test
  void givenManyGeneratedIds_whenCompared_thenAll100kAreUniqueAndWellFormed() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = RequestIds.next();
      assertTrue(GENERATED.matcher(id).matches(), id);
      assertTrue(seen.add(id), "duplicate id " + id);
    }
    assertEquals(100_000, seen.size());
  }

  @Test
  void givenGeneratedId_whenFedBackAsAClientId_thenItIsKept() {
    String id = RequestIds.next();

    assertEquals(id, RequestIds.fromClient(id));
  }

  @Test
  void givenManyGeneratedIds_whenHexPositionsAreInspected_thenEachVariesAndNoTwoMoveTogether() {
    // A shifting bug would freeze a digit or copy one digit into another, silently losing entropy.
    int ids = 2_000;
    char[][] hex = new char[ids][];
    for (int i = 0; i < ids; i++) {
      hex[i] = RequestIds.next().substring(4).toCharArray();
    }
    for (int p = 0; p < 32; p++) {
      Set<Character> seen = new HashSet<>();
      for (char[] id : hex) {
        seen.add(id[p]);
      }
      assertEquals(16, seen.size(), "hex position " + p + " does not take every value");
      for (int q = p + 1; q < 32; q++) {
        int equal = 0;
        for (char[] id : hex) {
          if (id[p] == id[q]) {
            equal++;
          }
        }
        // Independent digits agree about 1 time in 16 (125 of 2,000); 500 is far outside chance.
        assertTrue(equal < 500, "hex positions " + p + " and " + q + " agree in " + equal + " of " + ids);
      }
    }
  }
}
