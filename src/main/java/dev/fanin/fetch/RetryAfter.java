package dev.fanin.fetch;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
public final class RetryAfter {
  private RetryAfter() {}

  /** The wait in milliseconds, or -1 when the header is absent or unreadable. */
  public static long millis(String header, Instant now) {
    if (header == null) {
      return -1;
    }
    String value = header.trim();
    if (value.isEmpty()) {
      return -1;
    }
    if (value.chars().allMatch(Character::isDigit)) {
      if (value.length() > 9) {
        return Long.MAX_VALUE / 2;
      }
      return Long.parseLong(value) * 1000;
    }
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        Instant at = ZonedDateTime.parse(value, format).toInstant();
        return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
      } catch (DateTimeParseException e) {
        // try the next of the three formats RFC 9110 asks recipients to accept
      }
    }
    return -1;
  }

  /** IMF-fixdate (RFC 1123), then the obsolete RFC 850 and asctime forms. */
  private static final java.util.List<DateTimeFormatter> HTTP_DATES = java.util.List.of(
      DateTimeFormatter.RFC_1123_DATE_TIME,
      new java.time.format.DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1970)
          .appendPattern(" HH:mm:ss zzz").toFormatter(java.util.Locale.US),
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US)
          .withZone(java.time.ZoneOffset.UTC));
}
