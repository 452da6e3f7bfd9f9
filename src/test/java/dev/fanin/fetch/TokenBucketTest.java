package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TokenBucket}'s arithmetic on a clock the test moves by hand (nanoseconds). */
class TokenBucketTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;

  @Test
  void startsFullAndLetsTheBurstGoAtOnce() {
    TokenBucket bucket = new TokenBucket(2, 3, 0);
    assertTrue(bucket.tryTake(0));
    assertTrue(bucket.tryTake(0));
    assertTrue(bucket.tryTake(0));
    assertFalse(bucket.tryTake(0));
  }

  @Test
  void refillsAtItsRate() {
    TokenBucket bucket = new TokenBucket(2, 1, 0);
    assertTrue(bucket.tryTake(0));
    long t = 0;
    t += 499 * MS;
    assertFalse(bucket.tryTake(t), "half a token short of one");
    t += MS;
    assertTrue(bucket.tryTake(t), "one token after 500 ms at 2 a second");
    assertFalse(bucket.tryTake(t));
  }

  @Test
  void savesNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    assertEquals(3, bucket.tokens(60 * SECOND), 1e-9);
    for (int i = 0; i < 3; i++) {
      assertTrue(bucket.tryTake(60 * SECOND));
    }
    assertFalse(bucket.tryTake(60 * SECOND));
  }

  @Test
  void aBurstBelowOneStillHoldsOneToken() {
    TokenBucket bucket = new TokenBucket(1, 0.2, 0);
    assertTrue(bucket.tryTake(0));
    assertFalse(bucket.tryTake(0));
  }

  @Test
  void aClockBehindTheLastReadingNeitherAddsNorTakesAway() {
    TokenBucket bucket = new TokenBucket(1, 5, 5 * SECOND);
    for (int i = 0; i < 4; i++) {
      bucket.tryTake(5 * SECOND);
    }
    assertTrue(bucket.tryTake(3 * SECOND), "the one token left is still there");
    assertFalse(bucket.tryTake(4 * SECOND), "and two seconds back added none");
    assertEquals(0, bucket.tokens(5 * SECOND), 1e-9);
  }

  @Test
  void nextAtIsNowWhileATokenIsThereElseWhenTheNextComes() {
    TokenBucket bucket = new TokenBucket(4, 2, 0);
    assertEquals(0, bucket.nextAt(0));
    bucket.tryTake(0);
    assertEquals(0, bucket.nextAt(0));
    bucket.tryTake(0);
    assertEquals(250 * MS, bucket.nextAt(0));
    assertEquals(250 * MS, bucket.nextAt(125 * MS), "the same moment, asked later");
    assertEquals(300 * MS, bucket.nextAt(300 * MS));
  }

  @Test
  void reservationsInDebtComeOneRateStepApart() {
    TokenBucket bucket = new TokenBucket(1, 1, 0);
    long[] at = new long[3];
    for (int i = 0; i < 3; i++) {
      at[i] = bucket.nextAt(0);
      bucket.owe(0);
    }
    assertEquals(0, at[0]);
    assertEquals(SECOND, at[1]);
    assertEquals(2 * SECOND, at[2]);
    assertEquals(-2, bucket.tokens(0), 1e-9);
    assertEquals(-1, bucket.tokens(SECOND), 1e-9, "the debt is paid back at the rate");
  }

  @Test
  void resetKeepsTheTokensSavedCappedByTheNewBurst() {
    TokenBucket bucket = new TokenBucket(1, 5, 0);
    bucket.reset(10, 2, 0);
    assertEquals(10, bucket.rate());
    assertEquals(2, bucket.tokens(0), 1e-9);
    bucket.tryTake(0);
    bucket.tryTake(0);
    assertEquals(100 * MS, bucket.nextAt(0), "the new rate applies");
  }

  @Test
  void resetCountsTheTimeBeforeItAtTheOldRate() {
    TokenBucket bucket = new TokenBucket(1, 5, 0);
    for (int i = 0; i < 5; i++) {
      bucket.tryTake(0);
    }
    bucket.reset(100, 5, SECOND);
    assertEquals(1, bucket.tokens(SECOND), 1e-9, "one second at 1 a second, not at 100");
  }
}
