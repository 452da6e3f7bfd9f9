package dev.fanin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Kept meters: registered once per label values, and never more than the bound keeps. */
class MeterMemoTest {
  @Test
  void aMeterIsRegisteredOnceAndReturnedAfterwards() {
    AtomicInteger registered = new AtomicInteger();
    MeterMemo<String> memo = new MeterMemo<>(10);
    String first = memo.get("origin", "2xx", (a, b) -> a + "/" + b + "#" + registered.incrementAndGet());
    for (int i = 0; i < 100; i++) {
      assertSame(first, memo.get("origin", "2xx", (a, b) -> a + "/" + b + "#" + registered.incrementAndGet()));
    }
    assertEquals("origin/2xx#1", first);
    assertEquals("ok#2", memo.get("ok", (a, b) -> a + "#" + registered.incrementAndGet()));
    assertEquals(2, registered.get());
  }

  @Test
  void pastTheBoundMetersAreLookedUpEachTimeNotKept() {
    AtomicInteger registered = new AtomicInteger();
    MeterMemo<Integer> memo = new MeterMemo<>(3);
    for (int round = 0; round < 2; round++) {
      for (int origin = 0; origin < 5; origin++) {
        memo.get("o" + origin, "2xx", (a, b) -> registered.incrementAndGet());
      }
    }
    // 3 origins kept (registered once each), 2 beyond the bound looked up in both rounds
    assertEquals(3 + 2 * 2, registered.get());
    for (int outcome = 0; outcome < 5; outcome++) {
      memo.get("o0", "k" + outcome, (a, b) -> registered.incrementAndGet());
    }
    assertEquals(7 + 2 + 3, registered.get(), "o0 keeps 2xx and two more outcomes; three are looked up");
  }
}
