package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link AdaptiveLimit}: slow start by answers and by time, halving on overload, floor, ceiling,
 * additive growth only when the limit is used.
 */
class AdaptiveLimitTest {
  static final long STEP = AdaptiveLimit.SLOW_START_STEP;

  @Test
  void anUnknownOriginStartsAtTheInitialLimit() {
    assertEquals(10, AdaptiveLimit.INITIAL);
    assertEquals(10, new AdaptiveLimit(1000, 0).get(0));
  }

  @Test
  void aCeilingBelowTheInitialLimitHoldsFromTheStart() {
    AdaptiveLimit limit = new AdaptiveLimit(4, 0);
    assertEquals(4, limit.get(0));
    limit.succeeded(4);
    assertEquals(4, limit.get(10 * STEP));
  }

  @Test
  void inSlowStartEachSuccessAddsOneWhateverIsInFlight() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    limit.succeeded(0);
    limit.succeeded(0);
    assertEquals(12, limit.get(0));
  }

  @Test
  void inSlowStartTheLimitDoublesEveryStep() {
    long t = 0;
    AdaptiveLimit limit = new AdaptiveLimit(1000, t);
    assertEquals(10, limit.get(t + STEP - 1));
    assertEquals(20, limit.get(t + STEP));
    assertEquals(40, limit.get(t + 2 * STEP));
    assertEquals(80, limit.get(t + 3 * STEP));
  }

  @Test
  void doublingCountsFromFirstContact() {
    long first = 7 * STEP + 3;
    AdaptiveLimit limit = new AdaptiveLimit(1000, first);
    assertEquals(10, limit.get(first + STEP - 1));
    assertEquals(20, limit.get(first + STEP));
  }

  @Test
  void slowStartStopsAtTheCeiling() {
    AdaptiveLimit limit = new AdaptiveLimit(30, 0);
    assertEquals(30, limit.get(10 * STEP));
    limit.succeeded(30);
    assertEquals(30, limit.get(10 * STEP));
    assertEquals(Long.MAX_VALUE, limit.growsAt(10 * STEP));
  }

  @Test
  void growsAtIsTheNextStepWhileSlowStartLasts() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    assertEquals(STEP, limit.growsAt(0));
    assertEquals(2 * STEP, limit.growsAt(STEP + 1));
    limit.overloaded(STEP + 1);
    assertEquals(Long.MAX_VALUE, limit.growsAt(STEP + 1));
  }

  @Test
  void anOverloadHalvesTheLimit() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    limit.overloaded(0);
    assertEquals(5, limit.get(0));
  }

  @Test
  void anOverloadHalvesWhatTimeHadGrownItTo() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    limit.overloaded(2 * STEP);
    assertEquals(20, limit.get(2 * STEP), "40 after two steps, halved");
  }

  @Test
  void anOverloadEndsSlowStartForGood() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    limit.overloaded(0);
    assertEquals(5, limit.get(100 * STEP), "time no longer doubles it");
    limit.succeeded(0);
    assertEquals(5, limit.get(100 * STEP), "an idle origin's success no longer adds one");
  }

  @Test
  void neverBelowTheFloor() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    for (int i = 0; i < 10; i++) {
      limit.overloaded(0);
    }
    assertEquals(AdaptiveLimit.FLOOR, limit.get(0));
  }

  @Test
  void theFloorNeverLiftsTheLimitAboveTheCeiling() {
    AdaptiveLimit limit = new AdaptiveLimit(1, 0);
    assertEquals(1, limit.get(0));
    limit.overloaded(0);
    assertEquals(1, limit.get(0));
  }

  @Test
  void afterSlowStartASuccessAddsOneOnlyWhileHalfTheLimitIsInFlight() {
    AdaptiveLimit limit = new AdaptiveLimit(1000, 0);
    limit.overloaded(0); // 5, slow start over
    limit.succeeded(2);
    assertEquals(5, limit.get(0), "2 in flight is less than half of 5");
    limit.succeeded(3);
    assertEquals(6, limit.get(0), "3 in flight is at least half of 5");
    limit.succeeded(3);
    assertEquals(7, limit.get(0), "3 is half of 6");
  }

  @Test
  void additiveGrowthStopsAtTheCeiling() {
    AdaptiveLimit limit = new AdaptiveLimit(12, 0);
    limit.overloaded(10 * STEP); // 12 → 6
    for (int i = 0; i < 20; i++) {
      limit.succeeded(12);
    }
    assertEquals(12, limit.get(10 * STEP));
  }

  @Test
  void aFixedLimitIsTheCeilingAtOnceAndDoesNotGrow() {
    AdaptiveLimit limit = AdaptiveLimit.fixed(50);
    assertEquals(50, limit.get(0));
    assertEquals(50, limit.get(100 * STEP));
    limit.succeeded(50);
    assertEquals(50, limit.get(100 * STEP));
    assertEquals(Long.MAX_VALUE, limit.growsAt(0));
    assertEquals(50, limit.ceiling());
  }
}
