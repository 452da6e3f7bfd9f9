package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RateLimitHeaders}: the IETF draft fields, their older forms, X-RateLimit-*, garbage and caps. */
class RateLimitHeadersTest {
  /** 2023-11-14T22:13:20Z, in epoch milliseconds. */
  static final long NOW = 1_700_000_000_000L;

  private static RateLimitHeaders parse(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return RateLimitHeaders.of(headers, NOW);
  }

  @Test
  void noFieldsIsNone() {
    assertSame(RateLimitHeaders.NONE, parse());
    assertSame(RateLimitHeaders.NONE, parse("Retry-After", "5", "Content-Type", "application/json"));
    assertEquals(-1, RateLimitHeaders.NONE.policyRate());
    assertFalse(RateLimitHeaders.NONE.exhausted());
  }

  @Test
  void draftRateLimitField() {
    RateLimitHeaders said = parse("RateLimit", "\"default\";r=0;t=30");
    assertEquals(new RateLimitHeaders(0, 30_000, -1, -1), said);
    assertTrue(said.exhausted());
  }

  @Test
  void draftFieldsReadOnlyTheFirstItem() {
    RateLimitHeaders said = parse("RateLimit", "\"burst\";r=5;t=1, \"daily\";r=0;t=3000");
    assertEquals(5, said.remaining());
    assertEquals(1_000, said.resetMs());
    assertFalse(said.exhausted());
  }

  @Test
  void draftPolicyFieldGivesTheRate() {
    RateLimitHeaders said = parse("RateLimit-Policy", "\"default\";q=100;w=60");
    assertEquals(new RateLimitHeaders(-1, -1, 100, 60_000), said);
    assertEquals(100 / 60.0, said.policyRate(), 1e-9);
    assertFalse(said.exhausted());
  }

  @Test
  void draftFieldsTogether() {
    RateLimitHeaders said = parse("RateLimit", "\"default\";r=50;t=30", "RateLimit-Policy", "\"default\";q=100;w=60");
    assertEquals(new RateLimitHeaders(50, 30_000, 100, 60_000), said);
  }

  @Test
  void olderSeparateFields() {
    RateLimitHeaders said = parse("RateLimit-Limit", "100", "RateLimit-Remaining", "0", "RateLimit-Reset", "30");
    assertEquals(new RateLimitHeaders(0, 30_000, 100, -1), said);
    assertTrue(said.exhausted());
    assertEquals(-1, said.policyRate(), "a limit without a window is no rate");
  }

  @Test
  void olderDictionaryField() {
    RateLimitHeaders said = parse("RateLimit", "limit=100, remaining=0, reset=30");
    assertEquals(new RateLimitHeaders(0, 30_000, 100, -1), said);
    assertTrue(said.exhausted());
  }

  @Test
  void xRateLimitWithResetInSeconds() {
    RateLimitHeaders said = parse("X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "20");
    assertEquals(new RateLimitHeaders(0, 20_000, 60, -1), said);
    assertTrue(said.exhausted());
  }

  @Test
  void xRateLimitWithResetAsAnEpochTime() {
    RateLimitHeaders said = parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1700000045");
    assertEquals(45_000, said.resetMs());
    assertTrue(said.exhausted());
  }

  @Test
  void anEpochResetAlreadyPastIsNoWait() {
    RateLimitHeaders said = parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1699999990");
    assertEquals(0, said.resetMs());
    assertFalse(said.exhausted());
  }

  @Test
  void requestsLeftIsNotExhausted() {
    assertFalse(parse("RateLimit", "\"default\";r=1;t=30").exhausted());
    assertFalse(parse("RateLimit", "\"default\";r=0;t=0").exhausted(), "the window resets now");
    assertFalse(parse("X-RateLimit-Remaining", "0").exhausted(), "no reset said");
  }

  @Test
  void garbageValuesAreIgnored() {
    for (String value : List.of("abc", "-5", "1.5", "", "  ", "0x10", "10s", "9999999999999", "+3")) {
      assertSame(RateLimitHeaders.NONE, parse("X-RateLimit-Remaining", value, "X-RateLimit-Limit", value), value);
      assertSame(RateLimitHeaders.NONE, parse("RateLimit-Remaining", value, "RateLimit-Limit", value), value);
      assertSame(RateLimitHeaders.NONE, parse("RateLimit", "\"default\";r=" + value + ";t=" + value), value);
      assertSame(RateLimitHeaders.NONE, parse("RateLimit-Policy", "\"default\";q=" + value + ";w=" + value), value);
    }
  }

  @Test
  void garbageFieldsAreIgnored() {
    for (String value : List.of("", ";;;", "\"default\"", "r=", "=5", "\u0000", "remaining", "q")) {
      assertSame(RateLimitHeaders.NONE, parse("RateLimit", value, "RateLimit-Policy", value), value);
    }
  }

  @Test
  void aGarbageFieldBesideAGoodOneLeavesTheGoodOne() {
    RateLimitHeaders said = parse("X-RateLimit-Remaining", "5", "X-RateLimit-Reset", "soon", "X-RateLimit-Limit", "-1");
    assertEquals(new RateLimitHeaders(5, -1, -1, -1), said);
    RateLimitHeaders policy = parse("RateLimit-Policy", "\"default\";q=100;w=forever");
    assertEquals(new RateLimitHeaders(-1, -1, 100, -1), policy);
    assertEquals(-1, policy.policyRate());
  }

  @Test
  void aZeroQuotaOrWindowIsNoRate() {
    assertEquals(-1, parse("RateLimit-Policy", "\"default\";q=0;w=60").policyRate());
    assertEquals(-1, parse("RateLimit-Policy", "\"default\";q=10;w=0").policyRate());
  }

  @Test
  void absurdResetsAreCappedAtAnHour() {
    assertEquals(RateLimitHeaders.MAX_MS, parse("RateLimit", "\"default\";r=0;t=86400").resetMs());
    assertEquals(RateLimitHeaders.MAX_MS, parse("RateLimit", "\"default\";r=0;t=999999999999").resetMs());
    assertEquals(RateLimitHeaders.MAX_MS, parse("RateLimit-Remaining", "0", "RateLimit-Reset", "7200").resetMs());
    assertEquals(RateLimitHeaders.MAX_MS, parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "3601").resetMs());
    assertEquals(3_600_000, parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "3600").resetMs());
    assertEquals(RateLimitHeaders.MAX_MS,
        parse("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "99999999999").resetMs(), "an epoch in the year 5138");
  }

  @Test
  void absurdWindowsAreCappedAtAWeekWithTheirQuotaScaled() {
    RateLimitHeaders said = parse("RateLimit-Policy", "\"default\";q=1000000;w=9999999");
    assertEquals(RateLimitHeaders.MAX_WINDOW_MS, said.windowMs());
    assertTrue(said.policyRate() <= 1_000_000 / 9_999_999.0 + 1e-9, "paced at " + said.policyRate());
  }

  @Test
  void aLongWindowIsNeverPacedFasterThanItsPolicy() {
    RateLimitHeaders said = parse("RateLimit-Policy", "\"daily\";q=1000;w=86400");
    assertTrue(said.policyRate() <= 1000 / 86_400.0 + 1e-12, "paced at " + said.policyRate() + " a second");
  }
}
