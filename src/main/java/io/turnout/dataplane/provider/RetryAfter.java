package io.turnout.dataplane.provider;

import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;

/** Reads a provider's retry hint: {@code retry-after-ms} first, then {@code retry-after} (seconds or HTTP date). */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * @param nowMillis wall clock in epoch millis, used only for the HTTP-date form
   * @return the delay in milliseconds, or -1 when absent or unreadable
   */
  public static long millis(MultiMap headers, LongSupplier nowMillis) {
    if (headers == null) {
      return -1;
    }
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double value = Double.parseDouble(ms.trim());
        if (Double.isFinite(value) && value >= 0) {
          return (long) value;
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String value = headers.get("retry-after");
    if (value == null || value.isBlank()) {
      return -1;
    }
    value = value.trim();
    try {
      double seconds = Double.parseDouble(value);
      return !Double.isFinite(seconds) || seconds < 0 ? -1 : (long) (seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - nowMillis.getAsLong());
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
