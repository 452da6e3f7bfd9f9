package dev.fanin.fetch;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.util.Date;

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
    // IMF-fixdate, RFC 850 and asctime: the three forms RFC 9110 asks recipients to accept
    Date at = DateFormatter.parseHttpDate(value);
    return at == null ? -1 : Math.max(0, at.getTime() - now.toEpochMilli());
  }
}
