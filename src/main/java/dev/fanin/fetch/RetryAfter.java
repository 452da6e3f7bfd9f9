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
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
