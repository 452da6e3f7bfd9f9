package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static String httpDate(Instant at) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
  }

  @Test
  void deltaSeconds() {
    assertEquals(0, RetryAfter.millis("0", NOW));
    assertEquals(1_000, RetryAfter.millis("1", NOW));
    assertEquals(120_000, RetryAfter.millis("120", NOW));
    assertEquals(5_000, RetryAfter.millis("  5 ", NOW));
  }

  @Test
  void httpDateInTheFuture() {
    assertEquals(90_000, RetryAfter.millis("Sat, 01 Mar 2025 12:01:30 GMT", NOW));
    assertEquals(3_600_000, RetryAfter.millis(httpDate(NOW.plusSeconds(3600)), NOW));
  }

  @Test
  void httpDateInThePastIsNoWait() {
    assertEquals(0, RetryAfter.millis("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
    assertEquals(0, RetryAfter.millis(httpDate(NOW.minusSeconds(1)), NOW));
    assertEquals(0, RetryAfter.millis(httpDate(NOW), NOW));
  }

  @Test
  void garbageIsUnreadable() {
    assertEquals(-1, RetryAfter.millis("soon", NOW));
    assertEquals(-1, RetryAfter.millis("-5", NOW));
    assertEquals(-1, RetryAfter.millis("1.5", NOW));
    assertEquals(-1, RetryAfter.millis("5s", NOW));
    assertEquals(-1, RetryAfter.millis("", NOW));
    assertEquals(-1, RetryAfter.millis("   ", NOW));
    assertEquals(-1, RetryAfter.millis("2025-03-01T12:01:00Z", NOW));
    assertEquals(-1, RetryAfter.millis("Sat, 32 Mar 2025 12:01:30 GMT", NOW));
  }

  @Test
  void absentIsUnreadable() {
    assertEquals(-1, RetryAfter.millis(null, NOW));
  }

  @Test
  void hugeNumberIsAVeryLongWaitWithoutOverflow() {
    long tenDigits = RetryAfter.millis("9999999999", NOW);
    long absurd = RetryAfter.millis("99999999999999999999999999999", NOW);
    for (long wait : new long[] {tenDigits, absurd}) {
      assertTrue(wait > 86_400_000L * 365, "wait " + wait);
      // a caller compares it to the time left and may add to it: it must not be near overflow
      assertTrue(wait + System.currentTimeMillis() > 0, "wait " + wait);
    }
    assertEquals(999_999_999_000L, RetryAfter.millis("999999999", NOW));
  }

  @Test
  void obsoleteDateFormatsAreReadToo() {
    Instant at = Instant.parse("1994-11-06T08:49:00Z");
    assertEquals(37_000, RetryAfter.millis("Sun, 06 Nov 1994 08:49:37 GMT", at));
    assertEquals(37_000, RetryAfter.millis("Sunday, 06-Nov-94 08:49:37 GMT", at));
    assertEquals(37_000, RetryAfter.millis("Sun Nov  6 08:49:37 1994", at));
  }
}
