package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An origin's hedge budget and its latency percentile. */
class HedgesTest {
  @Test
  void aTenPercentBudgetAllowsOneHedgeInTenRequestsAfterTheFirst() {
    Hedges.Origin origin = new Hedges.Origin();
    int hedges = 0;
    for (int i = 0; i < 1000; i++) {
      origin.earn(0.10);
      if (origin.spend()) {
        hedges++;
      }
    }
    // one saved at the start, then one every ten requests: at most 10 % extra load on the origin
    assertTrue(hedges >= 100 && hedges <= 101, "hedges " + hedges);
  }

  @Test
  void aQuietOriginSavesAtMostTenHedgesAndANoBudgetOriginNone() {
    Hedges.Origin origin = new Hedges.Origin();
    for (int i = 0; i < 10_000; i++) {
      origin.earn(0.10);
    }
    int burst = 0;
    while (origin.spend()) {
      burst++;
    }
    assertEquals((int) Hedges.MAX_CREDITS, burst);
    Hedges.Origin none = new Hedges.Origin();
    assertTrue(none.spend(), "the first credit");
    none.earn(0);
    assertFalse(none.spend());
  }

  @Test
  void thePercentileIsUnknownUntilTwentyAnswersThenFollowsTheWindowWithAFloor() {
    Hedges.Origin origin = new Hedges.Origin();
    for (int i = 1; i < Hedges.MIN_SAMPLES; i++) {
      origin.answered(100);
    }
    assertEquals(-1, origin.percentileMs(95));
    origin.answered(100);
    assertEquals(100, origin.percentileMs(95));
    for (int i = 0; i < Hedges.WINDOW; i++) {
      origin.answered(i < Hedges.WINDOW * 95 / 100 ? 20 : 1000); // the window slides: 95 % fast
    }
    assertEquals(20, origin.percentileMs(90));
    assertEquals(1000, origin.percentileMs(99));
    for (int i = 0; i < Hedges.WINDOW; i++) {
      origin.answered(1);
    }
    assertEquals(Hedges.FLOOR_MS, origin.percentileMs(95), "never sooner than the floor");
  }
}
