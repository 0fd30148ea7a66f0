package io.turnout.dataplane.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one table of what each failure class means to the node, pinned to README's failure-class
 * table and runbook section 4: a change here changes retries, breakers, rollback evidence and what
 * clients see, so it must be deliberate.
 */
class ErrorClassTest {

  @Test
  void onlyTheTransientClassesMayBeRetriedOrFailedOver() {
    assertEquals(EnumSet.of(ErrorClass.RATE_LIMITED, ErrorClass.UPSTREAM_5XX, ErrorClass.TIMEOUT, ErrorClass.NETWORK),
        classes(ErrorClass::transientFailure));
  }

  @Test
  void onlyFailuresThatSaySomethingAboutTheProvidersHealthCountForItsBreaker() {
    assertEquals(EnumSet.of(ErrorClass.RATE_LIMITED, ErrorClass.UPSTREAM_5XX, ErrorClass.TIMEOUT, ErrorClass.NETWORK,
        ErrorClass.MALFORMED_RESPONSE), classes(ErrorClass::countsForBreaker));
  }

  @Test
  void rollbackEvidenceIsTheRunbooksFiveClasses() {
    assertEquals(EnumSet.of(ErrorClass.UPSTREAM_5XX, ErrorClass.TIMEOUT, ErrorClass.MALFORMED_RESPONSE,
        ErrorClass.AUTH, ErrorClass.NETWORK), classes(ErrorClass::rollbackEvidence));
  }

  @Test
  void wireNamesRoundTrip() {
    for (ErrorClass c : ErrorClass.values()) {
      assertSame(c, ErrorClass.fromWireName(c.wireName()));
    }
  }

  @Test
  void theNodesOwnCodesAreAnEnumAndAProvidersCodeIsNotOne() {
    ProviderFailure open = ProviderFailure.ours(ErrorClass.UPSTREAM_5XX, "open", 503, FailureCode.CIRCUIT_OPEN);
    assertEquals("circuit_open", open.code());
    assertSame(FailureCode.CIRCUIT_OPEN, open.failureCode());
    ProviderFailure providers = new ProviderFailure(ErrorClass.VALIDATION, "bad", 400, -1, null, "x", "invalid_value");
    assertNull(providers.failureCode());
    assertEquals("invalid_value", providers.code());
  }

  private static Set<ErrorClass> classes(Predicate<ErrorClass> which) {
    return Arrays.stream(ErrorClass.values()).filter(which).collect(Collectors.toCollection(
        () -> EnumSet.noneOf(ErrorClass.class)));
  }
}
